using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace SlimGen.Serve.Testing;

/// <summary>
/// Samples/Serve as a process of its own on a free loopback port, as it is deployed; shared by the service tests and
/// the load benchmark.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address => listening.Task.Result;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Everything the service printed so far.</summary>
    public string Log => string.Join('\n', log);

    public int ExitCode => process.ExitCode;

    /// <summary>Starts <paramref name="program"/> (SlimGen.Serve.dll) with <c>--Serve:Key=value</c> settings and waits until it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string program, params string[] settings)
    {
        if (!File.Exists(program))
            throw new FileNotFoundException($"{program} is missing: build Samples/Serve first", program);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { program, "--urls", "http://127.0.0.1:0" }.Concat(settings.Select(s => "--Serve:" + s)))
            start.ArgumentList.Add(argument);
        var service = new ServeProcess(Process.Start(start)!);
        var first = await Task.WhenAny(service.listening.Task, service.process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (first != service.listening.Task)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException("The service did not start listening:\n" + service.Log);
        }
        service.Client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromMinutes(2) };
        return service;
    }

    private void Read(string? line)
    {
        if (line is null)
            return;
        log.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
            listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    /// <summary>Asks the service to stop as a container runtime or systemd does (SIGTERM).</summary>
    public void Terminate()
    {
        if (kill(process.Id, 15) != 0)
            throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>The service's minor page faults so far, from /proc (field 10 of stat).</summary>
    public long MinorPageFaults() =>
        long.Parse(File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7],
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The service's resident set in MiB, from /proc.</summary>
    public double ResidentMiB() =>
        File.ReadLines($"/proc/{process.Id}/status").Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024)
            .Single();

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => process.WaitForExitAsync().WaitAsync(timeout).ContinueWith(t => t.IsCompletedSuccessfully);

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
