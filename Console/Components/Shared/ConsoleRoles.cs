using Tasks.Shared;

namespace TasksConsole.Components.Shared;

/// <summary>The roles the console's pages are shown for (TaskApi enforces the same with its policies anyway).</summary>
public static class ConsoleRoles
{
    /// <summary>Who sees write actions: everyone but a viewer.</summary>
    public const string Writers = $"{Roles.Admin},{Roles.Operator}";
}
