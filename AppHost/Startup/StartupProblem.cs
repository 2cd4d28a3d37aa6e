namespace AppHost.Startup;

/// <summary>
/// A problem the user can fix before anything starts, such as a port in use or a missing program. Its message is one
/// line that names the fix; the AppHost prints it without a stack trace and exits with a non-zero code.
/// </summary>
public sealed class StartupProblem(string message) : Exception(message)
{
    /// <summary>Runs the AppHost; a <see cref="StartupProblem"/> becomes one line on stderr and exit code 1.</summary>
    public static int ReportedInOneLine(Action run)
    {
        try
        {
            run();
            return 0;
        }
        catch (StartupProblem problem)
        {
            Console.Error.WriteLine($"error: {problem.Message}");
            return 1;
        }
    }
}
