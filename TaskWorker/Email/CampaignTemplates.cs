using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Tasks.EmailTemplates;
using Tasks.Shared;

namespace TaskWorker.Email;

/// <summary>
/// Renders a campaign's emails from its template, compiled once per campaign change and reused for all its emails (a
/// later change, another version of the campaign, is compiled anew). Links are rewritten and the open pixel added with
/// the message's tracking tokens; the unsubscribe address is <c>{Tracking:PublicBaseUrl}/u/{token}</c>.
/// </summary>
internal sealed class CampaignTemplates(IOptions<TrackingOptions> tracking, TrackingTokens tokens, EmailMetrics metrics)
{
    private readonly ConcurrentDictionary<long, CompiledCampaign> _compiled = new();

    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (the worker is stopping) while rendering.</exception>
    public bool TryRender(
        CampaignChanged campaign,
        EmailSendItem item,
        CancellationToken cancellation,
        [NotNullWhen(true)] out EmailParts? parts,
        [NotNullWhen(true)] out string? unsubscribeUrl,
        [NotNullWhen(false)] out string? reason)
    {
        parts = null;
        unsubscribeUrl = null;
        var compilation = CompiledFor(campaign);
        if (!compilation.Succeeded)
        {
            reason = $"Campaign {campaign.CampaignId}'s template does not compile: {string.Join("; ", compilation.Errors)}";
            return false;
        }
        var baseUrl = tracking.Value.BaseUrl;
        unsubscribeUrl = $"{baseUrl}/u/{tokens.ForUnsubscribe(item.MessageId)}";
        try
        {
            var rendered = compilation.Template!.Render(
                new EmailVariables(item.To, item.Fields, campaign.From, campaign.Message, campaign.Name, unsubscribeUrl),
                new EmailTracking(baseUrl, item.MessageId, tokens),
                cancellation);
            parts = new EmailParts(rendered.Subject, rendered.Html, rendered.Text);
        }
        catch (TemplateRenderException e)
        {
            unsubscribeUrl = null;
            reason = $"Campaign {campaign.CampaignId}'s template could not be rendered for this email: {e.Message}";
            return false;
        }
        reason = null;
        return true;
    }

    private TemplateCompilation CompiledFor(CampaignChanged campaign) =>
        // The listener makes a new object of every change it reads, so the same object is the same version; comparing
        // references also spares comparing the whole template for every email.
        _compiled.AddOrUpdate(
            campaign.CampaignId,
            _ => Compile(campaign),
            (_, cached) => ReferenceEquals(cached.Campaign, campaign) ? cached : Compile(campaign)).Compilation.Value;

    private CompiledCampaign Compile(CampaignChanged campaign) => new(campaign, new Lazy<TemplateCompilation>(() =>
    {
        metrics.TemplateCompiled();
        return EmailTemplateCompiler.Compile(campaign.Subject, campaign.Html, campaign.Text);
    }));

    /// <summary>A campaign change and its template, compiled on first use by one thread while the others wait for it.</summary>
    private sealed record CompiledCampaign(CampaignChanged Campaign, Lazy<TemplateCompilation> Compilation);
}
