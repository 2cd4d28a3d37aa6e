using System.Net;
using System.Text.Json;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests;

/// <summary>The feeds TaskApi reads (<c>/sync/...</c>), read as TaskApi does: with its own client's token, scope identity.sync.</summary>
public static class SyncFeeds
{
    public static readonly AppCredentials TaskApiClient = new(ServiceClients.TaskApi, TestIdentity.TaskApiClientSecret);

    public static async Task<string> SyncTokenAsync(this TestIdentity identity) =>
        (await (await identity.ClientCredentialsGrantAsync(TaskApiClient, Scopes.IdentitySync)).TokenAsync()).AccessToken;

    public static async Task<IReadOnlyList<Revocation>> RevocationsAsync(this TestIdentity identity)
    {
        var response = await identity.SendAsync(HttpMethod.Get, "/sync/revocations", await identity.SyncTokenAsync());
        return (await response.JsonAsync(HttpStatusCode.OK)).Deserialize<RevocationList>(JsonSerializerOptions.Web)!.Items;
    }

    /// <summary>One page of audit events: those after the id <paramref name="after"/>.</summary>
    public static async Task<IReadOnlyList<AuditEventRecord>> AuditEventsAsync(this TestIdentity identity, long after, int? limit = null)
    {
        var query = limit is null ? $"?after={after}" : $"?after={after}&limit={limit}";
        var response = await identity.SendAsync(HttpMethod.Get, "/sync/audit" + query, await identity.SyncTokenAsync());
        return (await response.JsonAsync(HttpStatusCode.OK)).Deserialize<AuditEventPage>(JsonSerializerOptions.Web)!.Items;
    }

    /// <summary>Every audit event after the id <paramref name="after"/>, read page by page as TaskApi reads on.</summary>
    public static async Task<IReadOnlyList<AuditEventRecord>> AuditEventsSinceAsync(this TestIdentity identity, long after)
    {
        var events = new List<AuditEventRecord>();
        while (await identity.AuditEventsAsync(after) is { Count: > 0 } page)
        {
            events.AddRange(page);
            after = page[^1].Id;
        }
        return events;
    }

    /// <summary>The id of the newest audit event (0 when there is none): where a test's own events will start after.</summary>
    public static async Task<long> LastAuditIdAsync(this TestIdentity identity) =>
        (await identity.AuditEventsSinceAsync(0)).LastOrDefault()?.Id ?? 0;
}
