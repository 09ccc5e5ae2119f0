#pragma once

#include <QStringList>

class QTextStream;

namespace heartline {

/// The client side of heartline-twilio-sim: subcommands that call a running stand-in's /control/
/// endpoints and print the JSON answer.
///
///   heartline-twilio-sim call    --sim http://ADDR:PORT --to +1… [--from +1…] [--count N]
///   heartline-twilio-sim hangup  --sim http://ADDR:PORT CallSid
///   heartline-twilio-sim calls   --sim http://ADDR:PORT [--all]
///   heartline-twilio-sim events  --sim http://ADDR:PORT CallSid
///   heartline-twilio-sim queues  --sim http://ADDR:PORT
namespace simCli {

/// Whether the first argument names a subcommand (otherwise the program runs the stand-in).
[[nodiscard]] bool isCommand(const QString &argument);

/// `arguments` starts with the program name, then the subcommand. Exit codes: 0 the stand-in
/// answered 2xx, 1 it answered with an error or could not be reached, 2 a usage error.
int run(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace simCli

} // namespace heartline
