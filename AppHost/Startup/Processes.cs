using System.Diagnostics;

namespace AppHost.Startup;

/// <summary>Short programs the AppHost runs itself while preparing the model (initdb, chown), not resources.</summary>
public static class Processes
{
    public sealed record Result(int ExitCode, string LastErrorLine);

    public static Result Run(string fileName, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(fileName, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            output.Wait();
            process.WaitForExit();
            return new Result(process.ExitCode, errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StartupProblem($"cannot run {fileName} ({e.Message}): run scripts/prerequisites.sh");
        }
    }
}
