#pragma once
// Helpers shared by the GUI tests: isolated settings, a stored-zip writer and a tiny HTTP
// server on 127.0.0.1, so no test touches the user's configuration or the internet.

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QPair>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>

#include <array>
#include <cstdint>
#include <memory>

namespace towerlab::test {

// Points QSettings and QStandardPaths at throw-away places for the whole test process.
inline void isolateSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("TowerLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("TowerLabTest"));
    QSettings().clear();
    QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
}

inline std::uint32_t crc32(const QByteArray& bytes) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFU;
    for (const char byte : bytes) {
        c = table[(c ^ static_cast<std::uint8_t>(byte)) & 0xFFU] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFU;
}

// A zip archive with uncompressed ("stored") entries, in the given order.
inline QByteArray storedZip(const QList<QPair<QString, QByteArray>>& entries) {
    QByteArray out;
    QByteArray central;
    auto u16 = [](QByteArray& b, std::uint32_t v) {
        b.append(static_cast<char>(v & 0xFF));
        b.append(static_cast<char>((v >> 8) & 0xFF));
    };
    auto u32 = [&](QByteArray& b, std::uint32_t v) {
        u16(b, v & 0xFFFF);
        u16(b, v >> 16);
    };
    for (const auto& [name, data] : entries) {
        const QByteArray fileName = name.toUtf8();
        const std::uint32_t crc = crc32(data);
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto size = static_cast<std::uint32_t>(data.size());
        u32(out, 0x04034b50);
        u16(out, 20);
        u16(out, 0);
        u16(out, 0);
        u16(out, 0);
        u16(out, 0x21); // 1980-01-01
        u32(out, crc);
        u32(out, size);
        u32(out, size);
        u16(out, static_cast<std::uint32_t>(fileName.size()));
        u16(out, 0);
        out.append(fileName);
        out.append(data);

        u32(central, 0x02014b50);
        u16(central, 20);
        u16(central, 20);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0x21);
        u32(central, crc);
        u32(central, size);
        u32(central, size);
        u16(central, static_cast<std::uint32_t>(fileName.size()));
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u32(central, 0);
        u32(central, offset);
        central.append(fileName);
    }
    const auto centralOffset = static_cast<std::uint32_t>(out.size());
    out.append(central);
    u32(out, 0x06054b50);
    u16(out, 0);
    u16(out, 0);
    u16(out, static_cast<std::uint32_t>(entries.size()));
    u16(out, static_cast<std::uint32_t>(entries.size()));
    u32(out, static_cast<std::uint32_t>(central.size()));
    u32(out, centralOffset);
    u16(out, 0);
    return out;
}

// Serves fixed responses over HTTP/1.1 on 127.0.0.1 (a free port). A route may trickle its
// body in chunks with a delay, so a test can cancel halfway.
class LocalHttpServer : public QObject {
public:
    struct Route {
        int status = 200;
        QByteArray body;
        int chunkBytes = 0; // 0 = send everything at once
        int chunkDelayMs = 0;
    };

    LocalHttpServer() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    void setRoute(const QString& path, const Route& route) { m_routes[path] = route; }
    QString url(const QString& path) const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    int requests() const { return m_requests; }

private:
    void serve(QTcpSocket* socket) {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        ++m_requests;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        const QString path =
            requestLine.size() > 1 ? QString::fromLatin1(requestLine[1]) : QString();
        m_buffers.remove(socket);
        const Route route = m_routes.value(path, Route{404, "not found", 0, 0});
        QByteArray head = "HTTP/1.1 " + QByteArray::number(route.status) +
                          (route.status == 200 ? " OK" : " Error") +
                          "\r\nContent-Type: application/zip\r\nContent-Length: " +
                          QByteArray::number(route.body.size()) + "\r\nConnection: close\r\n\r\n";
        socket->write(head);
        if (route.chunkBytes <= 0) {
            socket->write(route.body);
            socket->disconnectFromHost();
            return;
        }
        auto* timer = new QTimer(socket);
        auto sent = std::make_shared<qsizetype>(0);
        QPointer<QTcpSocket> guard(socket);
        connect(timer, &QTimer::timeout, socket, [guard, timer, sent, route] {
            if (!guard) {
                return;
            }
            const QByteArray chunk = route.body.mid(*sent, route.chunkBytes);
            guard->write(chunk);
            *sent += chunk.size();
            if (*sent >= route.body.size()) {
                timer->stop();
                guard->disconnectFromHost();
            }
        });
        timer->start(route.chunkDelayMs);
    }

    QTcpServer m_server;
    QHash<QString, Route> m_routes;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    int m_requests = 0;
};

} // namespace towerlab::test
