using Tasks.ApiDefaults;
using Tasks.Shared;

namespace TaskApi.Infrastructure.Access;

/// <summary>
/// The authorization policies TaskApi's endpoints declare: per feature area, reading (every operator role, or the area's
/// app scope) and writing (admins and operators, or the area's app scope); the dead letters for operators only (no app
/// scope: they hold every area's records); the overview for operators of every role; the audit log for admins only.
/// </summary>
public static class ApiAccess
{
    public const string TasksRead = "tasks:read";
    public const string TasksWrite = "tasks:write";
    public const string MailingsRead = "mailings:read";
    public const string MailingsWrite = "mailings:write";
    public const string CampaignsRead = "campaigns:read";
    public const string CampaignsWrite = "campaigns:write";
    public const string NotificationsRead = "notifications:read";
    public const string NotificationsWrite = "notifications:write";
    public const string AuditRead = "audit:read";
    public const string DeadLettersRead = "dead-letters:read";
    public const string DeadLettersWrite = "dead-letters:write";

    /// <summary>The console's overview, which spans every area: operators of any role (no app scope covers it all).</summary>
    public const string OverviewRead = "overview:read";

    private static readonly string[] Readers = [Roles.Admin, Roles.Operator, Roles.Viewer];
    private static readonly string[] Writers = [Roles.Admin, Roles.Operator];

    /// <summary>Whether an endpoint with this policy changes data (what the audit log records).</summary>
    public static bool IsWrite(string policy) => policy.EndsWith(":write", StringComparison.Ordinal);

    public static void AddApiAccessPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationOptions authorization)
    {
        foreach (var (area, scope) in new[] { ("tasks", Scopes.Tasks), ("mailings", Scopes.Mailings), ("campaigns", Scopes.Campaigns), ("notifications", Scopes.Notifications) })
        {
            authorization.AddPolicy($"{area}:read", policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement(Readers, scope)));
            authorization.AddPolicy($"{area}:write", policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement(Writers, scope)));
        }
        // Dead letters hold every area's records and replay to any of our topics: operators only, no app scope.
        authorization.AddPolicy(DeadLettersRead, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement(Readers, null)));
        authorization.AddPolicy(DeadLettersWrite, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement(Writers, null)));
        authorization.AddPolicy(AuditRead, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement([Roles.Admin], null)));
        authorization.AddPolicy(OverviewRead, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleOrScopeRequirement(Readers, null)));
    }
}
