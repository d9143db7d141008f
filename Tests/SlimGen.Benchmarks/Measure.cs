using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace SlimGen.Benchmarks;

/// <summary>Timing and memory readings shared by the benchmarks.</summary>
internal static class Measure
{
    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
            throw new ArgumentException("No values.", nameof(values));
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Seconds that <paramref name="action"/> takes.</summary>
    public static double Seconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Times <paramref name="a"/> and <paramref name="b"/> in alternating rounds (A B, then B A, ...), so that a change in
    /// the machine's load hits both alike. Returns each side's seconds per round.
    /// </summary>
    public static (double[] A, double[] B) Interleaved(int rounds, Action a, Action b)
    {
        var times = Interleaved(rounds, [a, b]);
        return (times[0], times[1]);
    }

    /// <summary>
    /// Times <paramref name="sides"/> in rounds that run each once, in order and then in reverse order (A B C, then
    /// C B A, ...), so that a change in the machine's load hits all alike. Returns each side's seconds per round.
    /// </summary>
    public static double[][] Interleaved(int rounds, params Action[] sides)
    {
        var times = sides.Select(_ => new double[rounds]).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < sides.Length; i++)
            {
                int side = round % 2 == 0 ? i : sides.Length - 1 - i;
                times[side][round] = Seconds(sides[side]);
            }
        }
        return times;
    }

    /// <summary>The process's peak and current resident set in MiB (Linux; NaN elsewhere).</summary>
    public static (double PeakMiB, double CurrentMiB) ResidentSet()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
            return (double.NaN, double.NaN);
        var fields = File.ReadLines(Status)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        return (KibToMib(fields["VmHWM"]), KibToMib(fields["VmRSS"]));

        static double KibToMib(string value) => double.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>
    /// Minor page faults and user and kernel CPU seconds of the process so far (Linux; zeros elsewhere). Unlike wall
    /// time, page faults do not depend on how busy the machine is, and kernel time shows what the faults cost.
    /// </summary>
    public static (long MinorPageFaults, double UserSeconds, double KernelSeconds) ProcessCounters()
    {
        const string Stat = "/proc/self/stat";
        const double TicksPerSecond = 100; // USER_HZ, fixed for /proc on Linux
        if (!File.Exists(Stat))
            return (0, 0, 0);
        // The fields after the parenthesized command name: state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt,
        // cminflt, majflt, cmajflt, utime, stime, ...
        string text = File.ReadAllText(Stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int index) => long.Parse(fields[index], System.Globalization.CultureInfo.InvariantCulture);
        return (Field(7), Field(11) / TicksPerSecond, Field(12) / TicksPerSecond);
    }

    /// <summary>The one-minute load average (Linux; NaN elsewhere), to note how busy the shared machine was.</summary>
    public static double LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        return File.Exists(LoadAvg)
            ? double.Parse(File.ReadAllText(LoadAvg).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : double.NaN;
    }
}
