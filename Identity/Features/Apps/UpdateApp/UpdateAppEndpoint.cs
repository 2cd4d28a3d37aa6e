using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OidcPermissions = OpenIddict.Abstractions.OpenIddictConstants.Permissions;

namespace Identity.Features.Apps.UpdateApp;

/// <summary>What changes; a field left out stays as it is.</summary>
public sealed class UpdateAppRequest
{
    /// <summary>The app's client id.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the app is called: 1 to 200 characters.</summary>
    public string? Name { get; set; }

    /// <summary>What it may do from now on: one or more of tasks, mailings, campaigns, notifications.</summary>
    public IReadOnlyList<string>? Scopes { get; set; }

    /// <summary>true: the app gets no tokens and its tokens stop working.</summary>
    public bool? Disabled { get; set; }
}

public sealed class UpdateAppValidator : Validator<UpdateAppRequest>
{
    public UpdateAppValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200).When(r => r.Name is not null);
        RuleFor(r => r.Scopes).AreAppScopes();
        RuleFor(r => r).Must(r => r.Name is not null || r.Scopes is not null || r.Disabled is not null).WithName("body")
            .WithMessage("Give 'name', 'scopes' or 'disabled'.");
    }
}

/// <summary>
/// <c>PATCH /apps/{id}</c>: an admin renames an app, changes its scopes, or disables it. Disabling it or taking a scope
/// away stops its existing tokens (a token carries the scopes it was issued with).
/// </summary>
public sealed class UpdateAppEndpoint(AppManager apps, AppChanges changes, IdentityDb db, AuditTrail audit, TimeProvider clock)
    : Endpoint<UpdateAppRequest, Results<Ok<AppResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Patch("/{id}");
        Group<AppsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Rename an app, change its scopes, or disable or enable it";
            summary.Responses[StatusCodes.Status404NotFound] = "No app has this id.";
        });
    }

    public override async Task<Results<Ok<AppResponse>, ProblemHttpResult>> ExecuteAsync(UpdateAppRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await changes.FindAsync(request.Id, ct) is not { } app)
        {
            return AppChanges.NotFound(request.Id);
        }
        var descriptor = new OpenIddictApplicationDescriptor();
        await apps.PopulateAsync(descriptor, app, ct);
        var scopesBefore = AppScopes.Of(descriptor.Permissions);
        var wasDisabled = await apps.IsDisabledAsync(app, ct);

        descriptor.DisplayName = request.Name ?? descriptor.DisplayName;
        if (request.Scopes is { } scopes)
        {
            descriptor.Permissions.RemoveWhere(permission => permission.StartsWith(OidcPermissions.Prefixes.Scope, StringComparison.Ordinal));
            descriptor.Permissions.UnionWith(AppScopes.AsPermissions(scopes));
        }
        if (request.Disabled is { } disabled)
        {
            AppManager.SetDisabled(descriptor, disabled);
        }
        if ((request.Disabled == true && !wasDisabled) || scopesBefore.Except(request.Scopes ?? scopesBefore).Any())
        {
            await changes.RevokeTokensAsync(request.Id, ct);
        }
        await apps.UpdateAsync(app, descriptor, ct);
        audit.Record(AuditActions.AppUpdated, $"/apps/{request.Id}",
            $"name {descriptor.DisplayName}, scopes {string.Join(" ", AppScopes.Of(descriptor.Permissions))}, disabled {request.Disabled ?? wasDisabled}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await AppResponse.FromAsync(apps, app, clock, ct));
    }
}
