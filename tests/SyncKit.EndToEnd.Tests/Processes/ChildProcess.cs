using System.Diagnostics;

namespace SyncKit.EndToEnd.Tests.Processes;

/// <summary>
/// A .NET program the test starts (<c>dotnet app.dll args</c>), reads line by line and kills with SIGKILL: no
/// shutdown code, no flush, no disposal runs in it, as when a machine loses power or a container is OOM-killed.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>Hang protection only: a child that says nothing for this long fails the test.</summary>
    private static readonly TimeSpan s_quiet = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<(string Text, long At)> _lines = [];
    private readonly List<string> _transcript = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    /// <summary>Whether the test killed it.</summary>
    public bool Killed { get; private set; }

    /// <summary>Everything the child wrote, stdout and stderr, in order of arrival (for failure messages).</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _transcript);
            }
        }
    }

    public static ChildProcess Start(string name, string assemblyPath, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Waits until the child has written a line that matches (any line since it started, so concurrent waits do not
    /// take lines from each other); fails with the transcript when the child exits or goes quiet first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        var seen = 0;
        while (true)
        {
            Task next;
            bool closed;
            lock (_gate)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen].Text))
                    {
                        return _lines[seen].Text;
                    }
                }

                next = _nextLine.Task;
                closed = _stdoutClosed.Task.IsCompleted;
            }

            if (closed)
            {
                throw new Xunit.Sdk.XunitException($"{Name} never said {what} (it exited):\n{Transcript}");
            }

            try
            {
                await next.WaitAsync(s_quiet);
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"{Name} never said {what} (silent for {s_quiet}):\n{Transcript}");
            }
        }
    }

    /// <summary>When the first line that matches arrived (a <see cref="Stopwatch"/> timestamp), if one has.</summary>
    public long? FirstLineAt(Func<string, bool> match)
    {
        lock (_gate)
        {
            return _lines.Where(l => match(l.Text)).Select(l => (long?)l.At).FirstOrDefault();
        }
    }

    /// <summary>SIGKILL, then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Killed = true;
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(s_quiet);
    }

    /// <summary>Waits for the child to end by itself and returns its exit code (after its last line is read).</summary>
    public async Task<int> WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
            await _stdoutClosed.Task.WaitAsync(s_quiet);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} did not finish:\n{Transcript}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        _process.Dispose();
    }

    private void OnLine(string? line, bool stdout)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (line is null)
            {
                if (stdout)
                {
                    _stdoutClosed.TrySetResult();
                }
            }
            else
            {
                _transcript.Add(stdout ? line : "stderr: " + line);
                if (stdout)
                {
                    _lines.Add((line, Stopwatch.GetTimestamp()));
                }
            }

            signal = _nextLine;
            _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>The dotnet host that runs this test (the SDK says where), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
