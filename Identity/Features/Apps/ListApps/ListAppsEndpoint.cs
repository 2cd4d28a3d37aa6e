using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace Identity.Features.Apps.ListApps;

/// <summary><c>GET /apps</c>: every registered app, by name (without secrets).</summary>
public sealed class ListAppsEndpoint(AppManager apps, TimeProvider clock) : EndpointWithoutRequest<IReadOnlyList<AppResponse>>
{
    public override void Configure()
    {
        Get("/");
        Group<AppsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary => summary.Summary = "List the registered apps");
    }

    public override async Task<IReadOnlyList<AppResponse>> ExecuteAsync(CancellationToken ct)
    {
        var registered = await apps.ListAsync(query => query
            .Where(app => app.ClientId!.StartsWith(AppManager.ClientIdPrefix))
            .OrderBy(app => app.DisplayName).ThenBy(app => app.ClientId), ct).ToListAsync(ct);
        var responses = new List<AppResponse>(registered.Count);
        foreach (var app in registered)
        {
            responses.Add(await AppResponse.FromAsync(apps, app, clock, ct));
        }
        return responses;
    }
}
