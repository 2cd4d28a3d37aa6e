using System.Runtime.InteropServices;

namespace AppHost.Running;

/// <summary>What .NET has no API for: sending a signal other than SIGKILL, and asking whether the AppHost runs as root.</summary>
public static partial class Posix
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static bool IsRoot => GetEffectiveUserId() == 0;

    /// <summary>Sends <paramref name="signal"/>; a process that is already gone is not an error.</summary>
    public static void SendSignal(int pid, int signal) => _ = Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
