using Microsoft.Extensions.Configuration;

namespace AppHost.Services;

/// <summary>
/// TaskApi dispatches again work silent longer than it can legitimately take (<c>Reconciliation:TaskRunTimeout</c>,
/// <c>SmsSendTimeout</c>, <c>EmailSendTimeout</c>, each plus <c>SilenceMargin</c>). Those bounds are TaskWorker's own
/// settings, so the AppHost gives TaskApi the worker's values: a longer <c>Worker:MaxDelay</c>, <c>Sms:Timeout</c> or
/// <c>Smtp:Timeout</c> cannot make TaskApi redispatch work still running. A <c>Reconciliation</c> key given explicitly wins.
/// </summary>
public static class ReconciliationBoundsExtensions
{
    private static readonly (string Reconciliation, string Worker)[] Bounds =
    [
        ("Reconciliation:TaskRunTimeout", "Worker:MaxDelay"),
        ("Reconciliation:SmsSendTimeout", "Sms:Timeout"),
        ("Reconciliation:EmailSendTimeout", "Smtp:Timeout"),
    ];

    public static IResourceBuilder<ProjectResource> WithWorkerBounds(this IResourceBuilder<ProjectResource> api, IConfiguration configuration)
    {
        foreach (var (reconciliation, worker) in Bounds)
        {
            if (configuration[reconciliation] is null && configuration[worker] is { } bound)
            {
                api.WithEnvironment(reconciliation.Replace(":", "__", StringComparison.Ordinal), bound);
            }
        }
        return api;
    }
}
