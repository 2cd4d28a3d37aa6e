namespace AppHost;

/// <summary>
/// A problem the user can fix, such as a port in use or a missing program. Its message is one line that names the
/// fix; the AppHost prints it without a stack trace and exits with a non-zero code.
/// </summary>
public sealed class AppHostException(string message) : Exception(message);
