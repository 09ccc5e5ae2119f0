#pragma once

#include <QString>

namespace heartline::bench {

/// What the figures were measured on, printed at the top of every benchmark's output.
struct MachineInfo
{
    int cpus = 0;
    QString cpuModel;
    double memoryGiB = 0;
    QString kernel;

    [[nodiscard]] static MachineInfo current();
    /// "2 CPUs (AMD EPYC), 23.5 GiB RAM, Linux 6.1.0"
    [[nodiscard]] QString summary() const;
};

/// The 1-minute load average: other work on the machine skews every figure, so it is printed.
[[nodiscard]] double loadAverage();

} // namespace heartline::bench
