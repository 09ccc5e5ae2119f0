#include "VoiceSignaling.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QLoggingCategory>
#include <QWebSocket>

#include "core/Clock.h"
#include "twilio/AccessToken.h"

Q_LOGGING_CATEGORY(lcSimVoice, "heartline.twilio-sim.voice")

using namespace Qt::StringLiterals;

namespace heartline {

VoiceSignaling::VoiceSignaling(const SimOptions &options, const Clock &clock, CallEngine &engine, QObject *parent)
    : QObject(parent), m_options(options), m_clock(clock), m_engine(engine)
{ }

VoiceSignaling::~VoiceSignaling()
{
    for (auto &[id, connection] : m_connections) {
        if (connection.socket)
            connection.socket->disconnect(this);
    }
}

void VoiceSignaling::addConnection(std::unique_ptr<QWebSocket> socket)
{
    const quint64 id = m_nextId++;
    QWebSocket *raw = socket.get();
    m_connections.emplace(id, Connection {std::move(socket), QString()});
    connect(raw, &QWebSocket::textMessageReceived, this, [this, id](const QString &text) { onMessage(id, text); });
    connect(raw, &QWebSocket::disconnected, this, [this, id] { onClosed(id); });
    qCDebug(lcSimVoice) << "voice client connection" << id << "opened";
}

int VoiceSignaling::registeredCount(const QString &identity) const
{
    int count = 0;
    for (const auto &[id, connection] : m_connections) {
        if (!connection.identity.isEmpty() && (identity.isEmpty() || connection.identity == identity))
            ++count;
    }
    return count;
}

QStringList VoiceSignaling::identities() const
{
    QStringList out;
    for (const auto &[id, connection] : m_connections) {
        if (!connection.identity.isEmpty() && !out.contains(connection.identity))
            out.append(connection.identity);
    }
    out.sort();
    return out;
}

void VoiceSignaling::send(quint64 id, const QJsonObject &message)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end() || !it->second.socket)
        return;
    it->second.socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void VoiceSignaling::sendError(quint64 id, const QString &message)
{
    send(id, QJsonObject {{u"type"_s, u"error"_s}, {u"message"_s, message}});
}

void VoiceSignaling::onMessage(quint64 id, const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        sendError(id, u"a message must be a JSON object with a \"type\""_s);
        return;
    }
    const QJsonObject message = document.object();
    const QString type = message.value(u"type"_s).toString();
    if (type == u"register"_s) {
        handleRegister(id, message);
        return;
    }
    if (type == u"accept"_s || type == u"reject"_s || type == u"hangup"_s) {
        handleAnswer(id, type, message.value(u"callSid"_s).toString());
        return;
    }
    sendError(id, type.isEmpty() ? u"the message has no \"type\""_s : u"unknown message type \"%1\""_s.arg(type));
}

void VoiceSignaling::handleRegister(quint64 id, const QJsonObject &message)
{
    const QString token = message.value(u"token"_s).toString();
    QString identity;
    if (!m_options.apiKeySecret.isEmpty()) {
        if (token.isEmpty()) {
            sendError(id, u"register needs an Access Token: {\"type\":\"register\",\"token\":\"<JWT>\"}"_s);
            return;
        }
        const Result<AccessTokenClaims> claims
            = verifyAccessToken(token.toUtf8(), m_options.apiKeySecret.toUtf8(), m_clock.nowSeconds());
        if (!claims) {
            sendError(id, u"the Access Token was refused: %1 (%2)"_s.arg(claims.error().code, claims.error().message));
            return;
        }
        if (claims->accountSid != m_options.accountSid) {
            sendError(id, u"the Access Token is for another account"_s);
            return;
        }
        if (!m_options.apiKeySid.isEmpty() && claims->apiKeySid != m_options.apiKeySid) {
            sendError(id, u"the Access Token was issued by another API key"_s);
            return;
        }
        if (!claims->voice || !claims->voice->incomingAllow) {
            sendError(id, u"the Access Token has no voice grant allowing incoming calls"_s);
            return;
        }
        identity = claims->identity;
    } else {
        identity = message.value(u"identity"_s).toString();
        if (identity.isEmpty() && !token.isEmpty()) {
            sendError(id,
                      u"this stand-in was started without --api-key-secret and cannot verify tokens: "
                      "register with {\"type\":\"register\",\"identity\":\"<name>\"}"_s);
            return;
        }
    }
    if (identity.isEmpty()) {
        sendError(id, u"register needs an identity"_s);
        return;
    }
    m_connections[id].identity = identity;
    qCDebug(lcSimVoice) << "voice client connection" << id << "registered as" << identity;
    send(id, QJsonObject {{u"type"_s, u"registered"_s}, {u"identity"_s, identity}});
}

void VoiceSignaling::handleAnswer(quint64 id, const QString &type, const QString &callSid)
{
    if (m_connections[id].identity.isEmpty()) {
        sendError(id, u"register before answering calls"_s);
        return;
    }
    if (callSid.isEmpty()) {
        sendError(id, u"%1 needs a callSid"_s.arg(type));
        return;
    }
    const auto offer = m_offers.find(callSid);
    if (offer == m_offers.end() || (!offer->connections.contains(id) && offer->acceptedBy != id)) {
        sendError(id, u"call %1 is not ringing or connected here"_s.arg(callSid));
        return;
    }
    if (type == u"accept"_s) {
        if (offer->acceptedBy != 0) {
            sendError(id, u"call %1 is already answered"_s.arg(callSid));
            return;
        }
        offer->acceptedBy = id;
        if (!m_engine.acceptClientLeg(callSid)) {
            m_offers.remove(callSid);
            sendError(id, u"call %1 is no longer ringing"_s.arg(callSid));
            return;
        }
        // The engine may have touched m_offers (canceling other legs): look the offer up again.
        Offer &accepted = m_offers[callSid];
        const QList<quint64> others = accepted.connections;
        accepted.connections = {id};
        send(id, QJsonObject {{u"type"_s, u"connected"_s}, {u"callSid"_s, callSid}});
        for (const quint64 other : others) {
            if (other != id)
                send(other, QJsonObject {{u"type"_s, u"canceled"_s}, {u"callSid"_s, callSid}});
        }
        return;
    }
    if (offer->acceptedBy == id) {
        // hangup (or reject) of a connected call ends the bridge.
        m_offers.remove(callSid);
        m_engine.hangupClientLeg(callSid);
        return;
    }
    // reject, or hangup while ringing: this connection declines, the others are told by cancelOffer().
    offer->connections.removeAll(id);
    m_engine.rejectClientLeg(callSid);
}

void VoiceSignaling::onClosed(quint64 id)
{
    const auto it = m_connections.find(id);
    if (it == m_connections.end())
        return;
    qCDebug(lcSimVoice) << "voice client connection" << id << "closed";
    // Not deleted inside its own signal.
    it->second.socket.release()->deleteLater();
    m_connections.erase(it);
    QStringList hungUp;
    for (auto offer = m_offers.begin(); offer != m_offers.end();) {
        if (offer->acceptedBy == id) {
            hungUp.append(offer.key());
            offer = m_offers.erase(offer);
            continue;
        }
        // A ringing leg keeps ringing on other connections, or until the Dial timeout, as Twilio's does.
        offer->connections.removeAll(id);
        ++offer;
    }
    for (const QString &callSid : hungUp)
        m_engine.hangupClientLeg(callSid);
}

int VoiceSignaling::offer(const ClientOffer &offer)
{
    QJsonObject params;
    for (const auto &[name, value] : offer.parameters)
        params.insert(name, value);
    const QJsonObject message {
        {u"type"_s, u"incoming"_s}, {u"callSid"_s, offer.callSid}, {u"parentCallSid"_s, offer.parentCallSid},
        {u"from"_s, offer.from},    {u"to"_s, offer.to},           {u"params"_s, params},
    };
    Offer ringing;
    for (const auto &[id, connection] : m_connections) {
        if (connection.identity == offer.identity)
            ringing.connections.append(id);
    }
    if (ringing.connections.isEmpty())
        return 0;
    m_offers.insert(offer.callSid, ringing);
    for (const quint64 id : ringing.connections)
        send(id, message);
    return static_cast<int>(ringing.connections.size());
}

void VoiceSignaling::cancelOffer(const QString &callSid)
{
    const Offer offer = m_offers.take(callSid);
    for (const quint64 id : offer.connections)
        send(id, QJsonObject {{u"type"_s, u"canceled"_s}, {u"callSid"_s, callSid}});
}

void VoiceSignaling::bridgeEnded(const QString &callSid)
{
    const Offer offer = m_offers.take(callSid);
    if (offer.acceptedBy != 0)
        send(offer.acceptedBy, QJsonObject {{u"type"_s, u"disconnected"_s}, {u"callSid"_s, callSid}});
}

} // namespace heartline
