using FastEndpoints;
using FluentValidation;
using Identity.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Identity.Features.Apps.RotateSecret;

public sealed class RotateSecretRequest
{
    /// <summary>The app's client id.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// How long the old secret keeps working, in seconds: up to Identity:SecretOverlap (the default, 24 h). 0 for a
    /// secret that leaked: the old one stops at once, and so do the tokens got with it.
    /// </summary>
    public int? OverlapSeconds { get; set; }
}

public sealed class RotateSecretValidator : Validator<RotateSecretRequest>
{
    public RotateSecretValidator() => RuleFor(r => r.OverlapSeconds).GreaterThanOrEqualTo(0);
}

/// <summary>
/// <c>POST /apps/{id}/secret</c>: a new secret for an app, shown once. The old one keeps working until the overlap ends,
/// so the app's deployments can move to the new one; then it stops, and so does every token got before the rotation.
/// </summary>
public sealed class RotateSecretEndpoint(AppManager apps, AppChanges changes, IdentityDb db, AuditTrail audit, IOptions<IdentityServiceOptions> options, TimeProvider clock)
    : Endpoint<RotateSecretRequest, Results<Ok<AppCredentials>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/{id}/secret");
        Group<AppsGroup>();
        Roles(Tasks.Shared.Roles.Admin);
        Summary(summary =>
        {
            summary.Summary = "Issue a new secret for an app";
            summary.Responses[StatusCodes.Status404NotFound] = "No app has this id.";
        });
    }

    public override async Task<Results<Ok<AppCredentials>, ProblemHttpResult>> ExecuteAsync(RotateSecretRequest request, CancellationToken ct)
    {
        await using var transaction = await audit.BeginAsync(ct);
        if (await changes.FindAsync(request.Id, ct) is not { } app)
        {
            return AppChanges.NotFound(request.Id);
        }
        var overlap = request.OverlapSeconds is { } seconds
            ? TimeSpan.FromSeconds(Math.Min(seconds, options.Value.SecretOverlap.TotalSeconds))
            : options.Value.SecretOverlap;
        var previousUntil = clock.GetUtcNow() + overlap;
        var secret = AppChanges.NewSecret();
        await apps.RotateSecretAsync(app, secret, previousUntil, ct);
        await changes.RevokeTokensAsync(request.Id, ct, effectiveAt: overlap > TimeSpan.Zero ? previousUntil : null);
        audit.Record(AuditActions.AppSecretRotated, $"/apps/{request.Id}", $"old secret valid until {previousUntil:O}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new AppCredentials(request.Id, secret, overlap > TimeSpan.Zero ? previousUntil : null));
    }
}
