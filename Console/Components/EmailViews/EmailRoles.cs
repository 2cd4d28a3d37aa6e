using Tasks.Shared;

namespace TasksConsole.Components.EmailViews;

/// <summary>Who sees the Email page's write actions (TaskApi's campaigns write policy refuses the rest anyway).</summary>
public static class EmailRoles
{
    public const string Writers = $"{Roles.Admin},{Roles.Operator}";
}
