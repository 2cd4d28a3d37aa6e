using System.Runtime.InteropServices;

namespace AppHost.Running;

/// <summary>
/// Ctrl+C, SIGTERM and SIGHUP (the terminal closed): the first asks for an orderly stop, a second one for an
/// immediate one. The process is kept alive meanwhile; it ends once everything it started has stopped.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stopRequested = new();
    private readonly CancellationTokenSource _stopNow = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals() =>
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, OnSignal))];

    public CancellationToken StopRequested => _stopRequested.Token;

    public CancellationToken StopNow => _stopNow.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stopRequested.Dispose();
        _stopNow.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_stopRequested.IsCancellationRequested)
        {
            _stopNow.Cancel();
        }
        else
        {
            _stopRequested.Cancel();
        }
    }
}
