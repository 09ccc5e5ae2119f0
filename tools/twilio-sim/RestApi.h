#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include "SimHttpServer.h"
#include "SimModel.h"
#include "twilio/FormParams.h"

namespace heartline {

class CallEngine;
class SipCredentialStore;

/// The REST subset of spec §3 under /2010-04-01/Accounts/{AccountSid}/: Calls (list, fetch,
/// update), Queues (list, create, fetch, update, delete), Queue Members (list, fetch, dequeue),
/// SIP Credential Lists and their Credentials (list, create, fetch, update, delete),
/// with Basic auth, Twilio's JSON shapes, pagination and error bodies. Error codes used:
/// 20003 (401, bad credentials), 20404 (404, no such resource or another account), 20004 (405,
/// method not allowed), 20001 (400, a missing or invalid parameter), 21205 (400, Url is not a
/// valid URL), 21220 (400, the call is not in progress), 12100 / 12200 (400, a Twiml parameter
/// that does not parse or validate).
class RestApi final
{
public:
    RestApi(const SimOptions &options, CallEngine &engine, SipCredentialStore &sipCredentials,
            const SimScheduler &scheduler);

    /// Every path under /2010-04-01/.
    [[nodiscard]] SimHttpResponse handle(const SimHttpRequest &request) const;

    /// The list answer Twilio gives: page fields, the list key, next_page_uri from PageSize,
    /// Page and PageToken ("PA" + the last SID of the page before).
    struct ListPage
    {
        QString listKey;
        QString path;                           ///< the list resource, e.g. /2010-04-01/Accounts/AC…/Calls.json
        QList<QPair<QString, QString>> filters; ///< echoed in the page URIs, in this order
        QStringList ids;                        ///< the items' SIDs, for page tokens
        QList<QJsonObject> items;
    };

private:
    [[nodiscard]] bool authorized(const QByteArray &authorization) const;
    [[nodiscard]] SimHttpResponse route(const SimHttpRequest &request, const QStringList &parts) const;
    [[nodiscard]] SimHttpResponse listCalls(const SimHttpRequest &request, const FormParams &query) const;
    [[nodiscard]] SimHttpResponse updateCall(const QString &sid, const FormParams &form) const;
    [[nodiscard]] SimHttpResponse createQueue(const FormParams &form) const;
    [[nodiscard]] SimHttpResponse updateQueue(const QString &sid, const FormParams &form) const;
    [[nodiscard]] SimHttpResponse listQueues(const SimHttpRequest &request, const FormParams &query) const;
    [[nodiscard]] SimHttpResponse listMembers(const SimHttpRequest &request, const QString &queueSid,
                                              const FormParams &query) const;
    [[nodiscard]] SimHttpResponse memberResource(const SimHttpRequest &request, const QString &queueSid,
                                                 const QString &member) const;
    [[nodiscard]] SimHttpResponse page(const SimHttpRequest &request, const FormParams &query,
                                       const ListPage &list) const;
    /// SIP/CredentialLists…: `parts` start after SIP.
    [[nodiscard]] SimHttpResponse sipCredentials(const SimHttpRequest &request, const QStringList &parts,
                                                 const FormParams &query, const FormParams &form) const;

    const SimOptions &m_options;
    CallEngine &m_engine;
    SipCredentialStore &m_sipCredentials;
    const SimScheduler &m_scheduler;
};

/// JSON answer with Twilio's error body.
[[nodiscard]] SimHttpResponse twilioErrorResponse(int httpStatus, int code, const QString &message);
[[nodiscard]] SimHttpResponse jsonAnswer(const QJsonObject &body, int status = 200);

} // namespace heartline
