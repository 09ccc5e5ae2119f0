#include "MachineInfo.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

using namespace Qt::StringLiterals;

namespace heartline::bench {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

MachineInfo MachineInfo::current()
{
    MachineInfo info;
    info.cpus = QThread::idealThreadCount();
    for (const QByteArray &line : readFile(u"/proc/cpuinfo"_s).split('\n')) {
        if (line.startsWith("model name")) {
            info.cpuModel = QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
            break;
        }
    }
    for (const QByteArray &line : readFile(u"/proc/meminfo"_s).split('\n')) {
        if (line.startsWith("MemTotal:")) {
            info.memoryGiB = line.mid(9).trimmed().split(' ').first().toDouble() / (1024.0 * 1024.0);
            break;
        }
    }
    info.kernel = QSysInfo::kernelType() + u' ' + QSysInfo::kernelVersion();
    return info;
}

QString MachineInfo::summary() const
{
    return u"%1 CPUs (%2), %3 GiB RAM, %4"_s.arg(cpus)
        .arg(cpuModel.isEmpty() ? u"unknown CPU"_s : cpuModel)
        .arg(memoryGiB, 0, 'f', 1)
        .arg(kernel);
}

double loadAverage()
{
    return readFile(u"/proc/loadavg"_s).split(' ').value(0).toDouble();
}

} // namespace heartline::bench
