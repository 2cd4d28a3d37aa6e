using Tasks.Shared;
using Tasks.Testing;

namespace PipelineBench;

/// <summary>
/// Part 5: the identity service's token endpoint on its own, a fresh process over a fresh database: closed-loop token
/// requests at a few concurrency levels, first an app's client credentials (HTTP Basic), then an operator's login and
/// password. No target: what one identity process issues on this machine, and the CPU each token costs.
/// </summary>
public static class TokenPart
{
    private const string Part = "5 token issuance";
    private const string OperatorLogin = "bench-operator";
    private const string OperatorPassword = "the bench operator's password";

    public static async Task RunAsync(BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var load = IRestLoad.Chosen(options);
        Report.Log("tokens: starting the identity service");
        await using var database = await PostgresDatabase.CreateAsync();
        await using var identity = await TestIdentity.StartAsync(options.ServiceLogSettings, database: database);
        var pids = new Dictionary<string, int> { ["Identity"] = identity.Process.Pid };
        var app = await identity.RegisterAppAsync(Scopes.Tasks);
        await identity.CreateOperatorAsync(OperatorLogin, OperatorPassword, Roles.Operator);
        report.Note($"tokens: load generator {load.Description}. The identity service's per-address limit on token requests " +
            "(Identity:TokenRequestsPerSecond, 10 a second in production) is off, so this is what the service can issue, not what one " +
            "address may ask for. Client credentials: one registered app, secret sent with HTTP Basic. Password: one operator (role " +
            "operator); ASP.NET Core Identity checks the password against its PBKDF2 hash on purpose slowly, and each answer also " +
            "carries a refresh token (offline_access).");

        var grants = new (string Name, LoadRequest Request)[]
        {
            ("client credentials", LoadRequest.Token(identity.BaseAddress,
                new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, app.BasicAuthorization().ToString())),
            ("password", LoadRequest.Token(identity.BaseAddress,
                new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = OperatorLogin, ["password"] = OperatorPassword })),
        };
        foreach (var (grant, request) in grants)
        {
            await request.EnsureAcceptedAsync(cancellationToken);
            Report.Log($"tokens, {grant}: warm-up, {options.TokenWarmupSeconds} s at {options.TokenConcurrency[0]} connections (not measured)");
            await load.RunAsync(request, options.TokenConcurrency[0], TimeSpan.FromSeconds(options.TokenWarmupSeconds), cancellationToken);
            foreach (var concurrency in options.TokenConcurrency)
            {
                Report.Log($"tokens, {grant}: {options.TokenSeconds} s at {concurrency} connections");
                var cpu = CpuWatch.Start(pids);
                var result = await load.RunAsync(request, concurrency, TimeSpan.FromSeconds(options.TokenSeconds), cancellationToken);
                var usage = cpu.Stop();
                double MsPerToken(double percent) => result.Succeeded == 0 ? 0 : percent / 100 * usage.Seconds * 1000 / result.Succeeded;
                Report.Log($"tokens, {grant} c={concurrency}: {result.Rate:N0}/s, p50 {result.P50:0.0} ms, p99 {result.P99:0.0} ms, {result.Failed} failed");

                var label = $"c={concurrency}, {options.TokenSeconds} s";
                report.Figure(Part, $"{grant}: tokens/s ({label})", $"{result.Rate:N0}/s ({result.Succeeded:N0} issued, {result.Failed} failed)");
                report.Figure(Part, $"{grant}: latency p50 / p90 / p99 / max ({label})",
                    $"{result.P50:0.0} / {result.P90:0.0} / {result.P99:0.0} / {result.Max:0.0} ms");
                report.Figure(Part, $"{grant}: CPU ms per token ({label})",
                    $"Identity {MsPerToken(usage.Of("Identity")):0.00}, PostgreSQL {MsPerToken(usage.Postgres):0.00}");
                report.Cpu($"tokens {grant} c={concurrency}", usage);
            }
        }
        report.Note($"tokens: identity service log: {identity.Process.LogFile}");
    }
}
