using System.Reflection;
using System.Runtime.InteropServices;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Makes "librdkafka" resolve to the build of librdkafka.redist that loads on this platform, for Confluent.Kafka and
/// for any other assembly that P/Invokes into it (EmbeddedKafka's mock cluster), so every caller in a process shares
/// one library. Called by ServiceDefaults' Kafka setup and by the mock cluster before their first Kafka use.
/// </summary>
/// <remarks>
/// librdkafka.redist's <c>linux-x64/native/librdkafka.so</c> needs <c>libsasl2.so.3</c>, which Debian 12 does not
/// have (it has .so.2), and Confluent.Kafka then silently falls back to whatever <c>librdkafka.so</c> the system has.
/// The package's <c>centos8-librdkafka.so</c> beside it loads. <c>Library.Load(path)</c> cannot be used instead: it
/// looks for <c>libdl</c>, which glibc 2.34+ folded into libc.
/// </remarks>
public static class Librdkafka
{
    private const string LibraryName = "librdkafka";

    private static readonly Lock Gate = new();
    private static readonly HashSet<Assembly> Resolved = [];
    private static readonly Lazy<IntPtr> Handle = new(Load);

    /// <summary>
    /// Routes Confluent.Kafka's "librdkafka" imports, and those of <paramref name="importingAssembly"/> if given, to the
    /// bundled library. Idempotent. Elsewhere than Linux x64 the package's default file loads and nothing is changed.
    /// </summary>
    public static void UseBundledLibrary(Assembly? importingAssembly = null)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return;
        }
        lock (Gate)
        {
            Register(typeof(Confluent.Kafka.Library).Assembly);
            if (importingAssembly is not null)
            {
                Register(importingAssembly);
            }
        }
    }

    private static void Register(Assembly assembly)
    {
        if (Resolved.Add(assembly))
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == LibraryName ? Handle.Value : IntPtr.Zero);
        }
    }

    private static IntPtr Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "centos8-librdkafka.so");
        return File.Exists(path)
            ? NativeLibrary.Load(path)
            : throw new DllNotFoundException($"{path} is missing: the process must reference the librdkafka.redist package.");
    }
}
