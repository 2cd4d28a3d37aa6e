using System.Net;
using Identity.Infrastructure;
using Tasks.Shared;
using Tasks.Testing;

namespace Identity.Tests.Features.Sync;

/// <summary><c>GET /sync/audit?after=</c>: every write at the identity service and every refused sign-in, in id order.</summary>
public sealed class ListAuditEventsTests(SharedIdentity shared) : IClassFixture<SharedIdentity>
{
    // Every request of the tests comes from here.
    private const string ClientAddress = "127.0.0.1";

    private TestIdentity Identity => shared.Identity;

    [Fact]
    public async Task Get_AfterAnOperatorsLife_RecordsEachWriteByTheAdminWithEntityAndAddress()
    {
        var after = await Identity.LastAuditIdAsync();
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "audited");
        await (await Identity.PatchOperatorAsync(account.Id, new { role = Roles.Operator })).JsonAsync(HttpStatusCode.OK);
        await (await Identity.ResetPasswordAsync(account.Id, $"{account.Login} new password")).JsonAsync(HttpStatusCode.NoContent);
        await (await Identity.DeleteOperatorAsync(account.Id)).JsonAsync(HttpStatusCode.NoContent);

        var events = await EventsAboutAsync(after, $"/operators/{account.Id}");

        Assert.Equal([AuditActions.OperatorCreated, AuditActions.OperatorUpdated, AuditActions.OperatorPasswordReset, AuditActions.OperatorDeleted],
            events.Select(e => e.Action));
        await AssertByTheAdminAsync(events);
    }

    [Fact]
    public async Task Get_AfterAnAppsLife_RecordsEachWriteByTheAdminWithEntityAndAddress()
    {
        var after = await Identity.LastAuditIdAsync();
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);
        await (await Identity.PatchAppAsync(app.Id, new { disabled = true })).JsonAsync(HttpStatusCode.OK);
        await Identity.RotateSecretAsync(app);
        await (await Identity.DeleteAppAsync(app.Id)).JsonAsync(HttpStatusCode.NoContent);

        var events = await EventsAboutAsync(after, $"/apps/{app.Id}");

        Assert.Equal([AuditActions.AppRegistered, AuditActions.AppUpdated, AuditActions.AppSecretRotated, AuditActions.AppDeleted], events.Select(e => e.Action));
        await AssertByTheAdminAsync(events);
        Assert.All(events, e => Assert.DoesNotContain(app.Secret, e.Detail ?? ""));
    }

    [Fact]
    public async Task Get_AfterAWrongPassword_RecordsARefusedSignInByTheLoginGiven()
    {
        var after = await Identity.LastAuditIdAsync();
        var account = await Identity.NewOperatorAsync(Roles.Viewer, "refused");

        await (await Identity.PasswordGrantAsync(account.Login, "not the password")).TokenErrorAsync(HttpStatusCode.BadRequest);

        var refusal = Assert.Single(await Identity.AuditEventsSinceAsync(after), e => e.ActorId == account.Login);
        AssertRefusedSignIn(refusal);
        Assert.DoesNotContain("not the password", refusal.Detail ?? "");
    }

    [Fact]
    public async Task Get_AfterAWrongClientSecret_RecordsARefusedSignInByTheClientId()
    {
        var after = await Identity.LastAuditIdAsync();
        var app = await Identity.RegisterAppAsync(Scopes.Tasks);

        await (await Identity.ClientCredentialsGrantAsync(app with { Secret = "not the secret" })).TokenErrorAsync(HttpStatusCode.Unauthorized);

        var refusal = Assert.Single(await Identity.AuditEventsSinceAsync(after), e => e.ActorId == app.Id);
        AssertRefusedSignIn(refusal);
        Assert.DoesNotContain("not the secret", refusal.Detail ?? "");
    }

    [Fact]
    public async Task Get_PagesAfterAnId_ReadOnInIncreasingIdsWithoutGapsOrRepeats()
    {
        var after = await Identity.LastAuditIdAsync();
        var logins = Enumerable.Range(0, 3).Select(_ => OperatorAccounts.UniqueLogin("paged")).ToList();
        foreach (var login in logins)
        {
            await (await Identity.PasswordGrantAsync(login, "not the password")).TokenErrorAsync(HttpStatusCode.BadRequest);
        }

        var whole = await Identity.AuditEventsAsync(after);
        var paged = new List<AuditEventRecord>();
        for (var last = after; await Identity.AuditEventsAsync(last, limit: 1) is [var next];)
        {
            paged.Add(next);
            last = next.Id;
        }

        var wholeIds = whole.Select(e => e.Id).ToList();
        Assert.Equal(wholeIds.Order(), wholeIds);
        Assert.Equal(wholeIds.Count, wholeIds.Distinct().Count());
        Assert.All(wholeIds, id => Assert.True(id > after));
        // Other tests write meanwhile: the pages read on may find more than the whole did, never less.
        Assert.Equal(wholeIds, paged.Select(e => e.Id).Take(wholeIds.Count));
        Assert.Equal(logins, whole.Where(e => logins.Contains(e.ActorId)).Select(e => e.ActorId));
    }

    [Fact]
    public async Task Get_AfterZero_StartsFromTheFirstEvent()
    {
        var first = Assert.Single(await Identity.AuditEventsAsync(after: 0, limit: 1));

        Assert.Equal(await Identity.Database.ScalarAsync<long>("SELECT min(id) FROM audit_events"), first.Id);
    }

    private async Task<IReadOnlyList<AuditEventRecord>> EventsAboutAsync(long after, string entity) =>
        [.. (await Identity.AuditEventsSinceAsync(after)).Where(e => e.Entity == entity)];

    private async Task AssertByTheAdminAsync(IEnumerable<AuditEventRecord> events)
    {
        var adminId = Jwt.Payload(await Identity.OperatorTokenAsync(Roles.Admin)).GetProperty("sub").GetString();
        Assert.All(events, e =>
        {
            Assert.Equal(adminId, e.ActorId);
            Assert.Equal(ActorKinds.Operator, e.ActorKind);
            Assert.Equal(TestIdentity.AdminLogin, e.ActorName);
            Assert.Equal(ClientAddress, e.ClientAddress);
        });
    }

    private static void AssertRefusedSignIn(AuditEventRecord refusal)
    {
        Assert.Equal(AuditActions.SignInRefused, refusal.Action);
        Assert.Equal(ActorKinds.Anonymous, refusal.ActorKind);
        Assert.Equal(ClientAddress, refusal.ClientAddress);
    }
}
