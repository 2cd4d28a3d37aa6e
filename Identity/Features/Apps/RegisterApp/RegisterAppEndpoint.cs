using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OidcPermissions = OpenIddict.Abstractions.OpenIddictConstants.Permissions;

namespace Identity.Features.Apps.RegisterApp;

public sealed class RegisterAppRequest
{
    /// <summary>What the app is called: 1 to 200 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>What it may do: one or more of tasks, mailings, campaigns, notifications.</summary>
    public IReadOnlyList<string>? Scopes { get; set; }
}

public sealed class RegisterAppValidator : Validator<RegisterAppRequest>
{
    public RegisterAppValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Scopes).NotNull().AreAppScopes();
    }
}

/// <summary>
/// <c>POST /apps</c>: an admin registers a third-party app and receives its credentials, once: a client id and a
/// client secret, which the app exchanges for tokens with the client credentials grant (HTTP Basic or form fields).
/// </summary>
public sealed class RegisterAppEndpoint(AppManager apps, IdentityDb db, AuditTrail audit, TimeProvider clock)
    : Endpoint<RegisterAppRequest, Created<RegisteredApp>>
{
    public override void Configure()
    {
        Post("/");
        Group<AppsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Register an app";
            summary.Description = "The answer holds the app's secret, which is shown this once: only a hash of it is kept.";
        });
    }

    public override async Task<Created<RegisteredApp>> ExecuteAsync(RegisterAppRequest request, CancellationToken ct)
    {
        var clientId = AppChanges.NewClientId();
        var secret = AppChanges.NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = OpenIddict.Abstractions.OpenIddictConstants.ClientTypes.Confidential,
            DisplayName = request.Name,
        };
        descriptor.Permissions.UnionWith([OidcPermissions.Endpoints.Token, OidcPermissions.GrantTypes.ClientCredentials, .. AppScopes.AsPermissions(request.Scopes!)]);
        AppManager.MarkCreated(descriptor, clock.GetUtcNow());

        await using var transaction = await audit.BeginAsync(ct);
        var app = await apps.CreateAsync(descriptor, ct);
        audit.Record(AuditActions.AppRegistered, $"/apps/{clientId}", $"name {request.Name}, scopes {string.Join(" ", request.Scopes!)}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/apps/{clientId}",
            new RegisteredApp(await AppResponse.FromAsync(apps, app, clock, ct), new AppCredentials(clientId, secret, null)));
    }
}
