using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using StackExchange.Redis;

namespace Tasks.Testing;

/// <summary>
/// A private <c>redis-server</c> process (Debian's package, installed by scripts/prerequisites.sh) on a free loopback
/// port, with append-only persistence in a temporary directory of its own. It can be stopped and started again on
/// the same port and directory, which is what a Redis restart looks like to its clients; the directory is deleted
/// on dispose.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port, string dataDirectory)
    {
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>Where the append-only file lives; it survives <see cref="Stop"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>A StackExchange.Redis connection string (the <c>ConnectionStrings__redis</c> value).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static RedisServer Start()
    {
        var server = new RedisServer(FreePorts.Loopback(), Directory.CreateTempSubdirectory("redis-").FullName);
        try
        {
            server.StartAgain();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server after <see cref="Stop"/>, on the same port and directory (so with the same data); returns when it accepts connections.</summary>
    public void StartAgain()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The Redis server is running.");
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo("redis-server")
            {
                ArgumentList =
                {
                    "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", DataDirectory,
                    "--appendonly", "yes", "--save", "", "--daemonize", "no",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
            EnableRaisingEvents = true,
        };
        process.OutputDataReceived += (_, line) =>
        {
            lock (_output)
            {
                _output.AppendLine(line.Data);
            }
            if (line.Data?.Contains("Ready to accept connections") == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (_output)
            {
                _output.AppendLine(line.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited with {process.ExitCode}:\n{Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        if (!ready.Task.Wait(StartTimeout))
        {
            Stop();
            throw new TimeoutException($"redis-server did not accept connections within {StartTimeout}:\n{Output}");
        }
    }

    /// <summary>Stops the server as an orderly shutdown does (SIGTERM: the append-only file is flushed); its data stays in <see cref="DataDirectory"/>.</summary>
    public void Stop()
    {
        if (_process is not { } process)
        {
            return;
        }
        if (!process.HasExited)
        {
            _ = Kill(process.Id, SigTerm);
            if (!process.WaitForExit(StartTimeout))
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        process.Dispose();
        _process = null;
    }

    /// <summary>Deletes every key, as a Redis that lost its data would look.</summary>
    public void FlushAll()
    {
        using var redis = ConnectionMultiplexer.Connect($"{ConnectionString},allowAdmin=true");
        redis.GetServer(ConnectionString).FlushAllDatabases();
    }

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(DataDirectory, recursive: true);
    }

    // Process.Kill only sends SIGKILL, which would skip Redis's orderly shutdown.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
