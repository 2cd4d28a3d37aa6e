using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskApi.Infrastructure;
using TaskApi.Infrastructure.Access;

namespace TaskApi.Features.Audit.Recording;

/// <summary>
/// Copies the identity service's audit events (operators, apps, secrets, refused sign-ins) into <c>audit_log</c>, so
/// that <c>GET /audit</c> answers for both services. It reads on from the last event copied, in the identity service's
/// commit order; every TaskApi instance does, and an event copied twice is stored once (its source id is unique).
/// </summary>
public sealed class IdentityAuditCopy(IServiceScopeFactory scopes, IdentityClient identity, IOptions<AuthOptions> options, ILogger<IdentityAuditCopy> logger)
    : IdentitySyncLoop(options, logger)
{
    private const int PageSize = 500;

    private const string InsertSql = """
        INSERT INTO audit_log (occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, detail, source, source_id)
        SELECT occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, detail, @source, source_id
        FROM unnest(@occurred_at, @actor_id, @actor_kind, @actor_name, @action, @entity, @client_address, @detail, @source_id)
            AS e(occurred_at, actor_id, actor_kind, actor_name, action, entity, client_address, detail, source_id)
        ON CONFLICT (source, source_id) WHERE source_id IS NOT NULL DO NOTHING
        """;

    protected override string What => "audit events";

    protected override bool IsTransient(Exception e) => base.IsTransient(e) || e is NpgsqlException;

    protected override async Task PassAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TasksDbContext>();
        var after = await db.AuditEntries.Where(e => e.Source == AuditEntry.FromIdentity).MaxAsync(e => e.SourceId, ct) ?? 0;
        while (true)
        {
            var page = (await identity.GetAuditEventsAsync(after, PageSize, ct)).Items;
            if (page.Count == 0)
            {
                return;
            }
            await db.Database.ExecuteSqlRawAsync(InsertSql, [
                new NpgsqlParameter("occurred_at", page.Select(e => e.OccurredAt).ToArray()),
                new NpgsqlParameter("actor_id", page.Select(e => e.ActorId).ToArray()),
                new NpgsqlParameter("actor_kind", page.Select(e => e.ActorKind).ToArray()),
                NpgsqlArrays.Of("actor_name", NpgsqlDbType.Varchar, page.Select(e => e.ActorName)),
                new NpgsqlParameter("action", page.Select(e => e.Action).ToArray()),
                NpgsqlArrays.Of("entity", NpgsqlDbType.Varchar, page.Select(e => e.Entity)),
                NpgsqlArrays.Of("client_address", NpgsqlDbType.Varchar, page.Select(e => e.ClientAddress)),
                NpgsqlArrays.Of("detail", NpgsqlDbType.Varchar, page.Select(e => e.Detail)),
                new NpgsqlParameter("source_id", page.Select(e => e.Id).ToArray()),
                new NpgsqlParameter("source", AuditEntry.FromIdentity)], ct);
            after = page[^1].Id;
            if (page.Count < PageSize)
            {
                return;
            }
        }
    }
}
