// How long a <Dial><Sip> takes to ring the agent: from the stand-in's SipDialer sending the INVITE
// (with Twilio's headers, through its Kamailio SIP domain) to the agent's SipCore reporting the
// incoming call. Real Kamailio, real SIP on loopback, both SIP user agents in this process on
// threads of their own. The agent declines each call (486) so the caller's line is free again for
// the next; the first call, which also starts the caller's line, is reported apart.
//
// Usage: bench_sip_invite [--calls 100] [--transport tcp|udp]

#include <cstdio>
#include <vector>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTimer>

#include "CallEngine.h"
#include "SimScheduler.h"
#include "SipCredentialStore.h"
#include "Statistics.h"
#include "TwilioSim.h"
#include "core/Clock.h"
#include "sip/SimSipSide.h"
#include "sip/SipCore.h"
#include "sip/WavAudio.h"

using namespace heartline;
using namespace heartline::bench;
using namespace Qt::StringLiterals;

namespace {

constexpr int WaitLimitMs = 20'000; // a hung run, never a measured figure
const QString Domain = u"bench.sip.twilio.com"_s;
const QString AgentUser = u"alice"_s;
const QString AgentPassword = u"Bench-Password-1"_s;

/// Runs the event loop until `done` holds (checked at each event and every millisecond) or the
/// limit passes; false on the limit.
template <typename Done> bool waitFor(Done done)
{
    QElapsedTimer limit;
    limit.start();
    while (!done()) {
        if (limit.elapsed() > WaitLimitMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 1);
    }
    return true;
}

int fail(const QString &why)
{
    std::fprintf(stderr, "bench_sip_invite: %s\n", qPrintable(why));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    // liblinphone must find no database of the user's: each core keeps its own in its folder.
    QTemporaryDir home;
    qputenv("HOME", home.path().toUtf8());
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"heartline.*.debug=false"_s); // one line per call would bury the figures
    QCommandLineParser parser;
    const QCommandLineOption callsOption(u"calls"_s, u"Calls measured (100)."_s, u"N"_s, u"100"_s);
    const QCommandLineOption transportOption(u"transport"_s, u"tcp or udp, both legs (tcp)."_s, u"NAME"_s, u"tcp"_s);
    parser.addHelpOption();
    parser.addOptions({callsOption, transportOption});
    parser.process(app);
    const int calls = std::max(1, parser.value(callsOption).toInt());
    const bool udp = parser.value(transportOption) == u"udp"_s;

    // The stand-in on the real clock, its SIP domain, and the agent's credential as the REST API
    // would create it.
    SystemClock clock;
    SimScheduler scheduler(static_cast<const Clock &>(clock));
    SimOptions options;
    options.accountSid = u"AC"_s + QString(32, u'b');
    options.authToken = u"bench-auth-token"_s;
    options.voiceUrl = u"http://127.0.0.1:9/voice"_s; // never requested: no inbound call is placed
    TwilioSim sim(options, scheduler);
    const auto list = sim.sipCredentials().createList(u"bench"_s);
    if (!list || !sim.sipCredentials().createCredential(list.value()->sid, AgentUser, AgentPassword))
        return fail(u"cannot create the agent's credential"_s);
    bool domainUp = false;
    QString domainError;
    QObject::connect(&sim, &TwilioSim::sipDomainStarted, &app, [&] { domainUp = true; });
    QObject::connect(&sim, &TwilioSim::sipDomainFailed, &app, [&](const QString &reason) { domainError = reason; });
    QTemporaryDir audio;
    const QString callerAudio = audio.filePath(u"caller.wav"_s);
    WavAudio::tone(660, 4000, 16000).write(callerAudio);
    SipDomainOptions sipOptions;
    sipOptions.domain = Domain;
    sipOptions.callerAudioFile = callerAudio;
    sim.startSipDomain(sipOptions);
    if (!waitFor([&] { return domainUp || !domainError.isEmpty(); }) || !domainUp)
        return fail(u"the SIP domain did not start: "_s + domainError);
    SimSipSide &side = *sim.sipSide();

    // The agent: registered, declining every call at once.
    SipCore agent;
    SipCoreConfig agentConfig;
    agentConfig.folder = audio.filePath(u"agent"_s);
    agentConfig.useAudioFiles = true;
    agentConfig.playFile = callerAudio;
    agentConfig.incomingHeaderNames = {u"X-Twilio-CallSid"_s};
    QElapsedTimer sinceInvite;
    std::vector<double> latenciesMs;
    QString rungLeg;
    QObject::connect(&agent, &SipCore::incomingCall, &app, [&](const SipCallInfo &call) {
        const double ms = double(sinceInvite.nsecsElapsed()) / 1e6;
        rungLeg = call.headers.value(u"X-Twilio-CallSid"_s);
        latenciesMs.push_back(ms);
        agent.decline(call.callId);
    });
    agent.start(agentConfig);
    if (!waitFor([&] { return agent.isStarted(); }))
        return fail(u"the agent's SIP core did not start"_s);
    SipAccount account;
    account.username = AgentUser;
    account.password = AgentPassword;
    account.domain = Domain;
    account.proxy = side.address();
    account.transport = udp ? SipTransport::Udp : SipTransport::Tcp;
    agent.registerAccount(account);
    if (!waitFor([&] { return agent.registration().state == SipRegistrationState::Registered; }))
        return fail(u"the agent did not register"_s);

    SipDialer &dialer = *side.dialer();
    const QString transport = udp ? u"udp"_s : u"tcp"_s;
    double firstCallMs = 0;
    for (int i = 0; i <= calls; ++i) {
        const QString legSid = newSid(u"CA"_s);
        const SipOffer offer {
            legSid, newSid(u"CA"_s), options.accountSid, u"+15017122661"_s,
            u"sip:%1@%2;transport=%3?x-heartline-parent-callsid=CA0"_s.arg(AgentUser, Domain, transport)};
        const std::size_t before = latenciesMs.size();
        sinceInvite.start();
        dialer.dial(offer);
        if (!waitFor([&] { return latenciesMs.size() > before; }))
            return fail(u"call %1 never rang the agent"_s.arg(i + 1));
        if (rungLeg != legSid)
            return fail(u"call %1 rang the agent for %2"_s.arg(legSid, rungLeg));
        // The caller's line is free again once the 486 is through.
        if (!waitFor([&] { return dialer.recordingInProgress(legSid).isEmpty(); }))
            return fail(u"call %1 never ended on the caller's side"_s.arg(i + 1));
        if (i == 0) {
            firstCallMs = latenciesMs.back(); // it also started the caller's line
            latenciesMs.clear();
        }
    }

    std::printf("INVITE sent by the stand-in -> incoming call at the agent, %d calls over %s on loopback\n", calls,
                qPrintable(transport.toUpper()));
    std::printf("  first call (starts the caller's line too): %8.2f ms\n", firstCallMs);
    std::printf("  p50  %8.2f ms\n", percentile(latenciesMs, 50));
    std::printf("  p90  %8.2f ms\n", percentile(latenciesMs, 90));
    std::printf("  p99  %8.2f ms   (goal: under 200 ms)\n", percentile(latenciesMs, 99));
    std::printf("  max  %8.2f ms\n", percentile(latenciesMs, 100));
    std::printf("  mean %8.2f ms\n", mean(latenciesMs));
    std::printf("caller lines started: %d\n", dialer.lineCount());
    return percentile(latenciesMs, 99) < 200 ? 0 : 3;
}
