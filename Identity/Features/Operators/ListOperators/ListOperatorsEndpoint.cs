using FastEndpoints;
using Identity.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Identity.Features.Operators.ListOperators;

/// <summary><c>GET /operators</c>: every operator, by login.</summary>
public sealed class ListOperatorsEndpoint(IdentityDb db, TimeProvider clock) : EndpointWithoutRequest<IReadOnlyList<OperatorResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<OperatorsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary => summary.Summary = "List the operators");
    }

    public override async Task<IReadOnlyList<OperatorResponse>> ExecuteAsync(CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(user => user.UserName).ToListAsync(ct);
        return [.. users.Select(user => OperatorResponse.From(user, clock.GetUtcNow()))];
    }
}
