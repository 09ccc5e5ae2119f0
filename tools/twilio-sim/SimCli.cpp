#include "SimCli.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace heartline::simCli {

namespace {

constexpr int RequestLimitMs = 30'000;

const QStringList commands = {u"call"_s, u"hangup"_s, u"calls"_s, u"events"_s, u"queues"_s};

struct Reply
{
    int status = 0;
    QByteArray body;
    QString failure;
};

Reply request(const QByteArray &verb, const QUrl &url, const QByteArray &body)
{
    QNetworkAccessManager network;
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest http(url);
    if (!body.isEmpty())
        http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = network.sendCustomRequest(http, verb, body);
    QEventLoop loop;
    QTimer limit;
    limit.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    limit.start(RequestLimitMs);
    loop.exec();
    Reply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.failure = u"no answer within %1 s"_s.arg(RequestLimitMs / 1000);
    } else {
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        if (result.status == 0)
            result.failure = reply->errorString();
    }
    delete reply;
    return result;
}

} // namespace

bool isCommand(const QString &argument)
{
    return commands.contains(argument);
}

int run(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const QString command = arguments.value(1);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Controls a running heartline-twilio-sim."_s);
    const QCommandLineOption simOption(u"sim"_s, u"The stand-in's base URL, e.g. http://127.0.0.1:8090."_s, u"URL"_s);
    const QCommandLineOption toOption(u"to"_s, u"The number that is called."_s, u"NUMBER"_s);
    const QCommandLineOption fromOption(u"from"_s, u"The caller's number (default +15005550006)."_s, u"NUMBER"_s);
    const QCommandLineOption countOption(u"count"_s, u"How many calls to place (default 1)."_s, u"N"_s);
    const QCommandLineOption allOption(u"all"_s, u"calls: include calls that have ended."_s);
    parser.addOptions({simOption, toOption, fromOption, countOption, allOption});
    parser.addHelpOption();
    QStringList withoutCommand = arguments;
    if (withoutCommand.size() > 1)
        withoutCommand.removeAt(1);
    if (!parser.parse(withoutCommand)) {
        err << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(u"help"_s)) {
        out << parser.helpText() << Qt::endl;
        return 0;
    }
    const QUrl base(parser.value(simOption));
    if (!base.isValid() || base.host().isEmpty()) {
        err << "heartline-twilio-sim " << command << ": --sim http://ADDR:PORT is required" << Qt::endl;
        return 2;
    }
    const QStringList positional = parser.positionalArguments();
    const auto needSid = [&]() -> QString {
        if (positional.size() != 1) {
            err << "heartline-twilio-sim " << command << ": give exactly one CallSid" << Qt::endl;
            return {};
        }
        return positional.first();
    };

    QByteArray verb = "GET";
    QString path;
    QByteArray body;
    if (command == u"call"_s) {
        if (!parser.isSet(toOption)) {
            err << "heartline-twilio-sim call: --to is required" << Qt::endl;
            return 2;
        }
        QJsonObject json {{u"to"_s, parser.value(toOption)}};
        if (parser.isSet(fromOption))
            json.insert(u"from"_s, parser.value(fromOption));
        if (parser.isSet(countOption)) {
            bool ok = false;
            const int count = parser.value(countOption).toInt(&ok);
            if (!ok || count < 1) {
                err << "heartline-twilio-sim call: --count must be a whole number from 1" << Qt::endl;
                return 2;
            }
            json.insert(u"count"_s, count);
        }
        verb = "POST";
        path = u"/control/calls"_s;
        body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    } else if (command == u"hangup"_s || command == u"events"_s) {
        const QString sid = needSid();
        if (sid.isEmpty())
            return 2;
        verb = command == u"hangup"_s ? "POST" : "GET";
        path = u"/control/calls/%1/%2"_s.arg(sid, command);
    } else if (command == u"calls"_s) {
        path = parser.isSet(allOption) ? u"/control/calls?all=true"_s : u"/control/calls"_s;
    } else if (command == u"queues"_s) {
        path = u"/control/queues"_s;
    } else {
        err << "heartline-twilio-sim: unknown command " << command << Qt::endl;
        return 2;
    }

    const Reply reply = request(verb, base.resolved(QUrl(path)), body);
    if (!reply.failure.isEmpty()) {
        err << "heartline-twilio-sim " << command << ": " << reply.failure << Qt::endl;
        return 1;
    }
    const QJsonDocument answer = QJsonDocument::fromJson(reply.body);
    const QByteArray printable = answer.isNull() ? reply.body : answer.toJson(QJsonDocument::Indented);
    if (reply.status < 200 || reply.status >= 300) {
        err << "heartline-twilio-sim " << command << ": HTTP " << reply.status << Qt::endl
            << QString::fromUtf8(printable) << Qt::endl;
        return 1;
    }
    out << QString::fromUtf8(printable);
    out.flush();
    return 0;
}

} // namespace heartline::simCli
