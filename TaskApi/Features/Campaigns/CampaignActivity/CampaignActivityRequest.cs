using FastEndpoints;
using FluentValidation;

namespace TaskApi.Features.Campaigns.CampaignActivity;

/// <summary>The route and query of <c>GET /campaigns/{id}/activity</c>.</summary>
public sealed class CampaignActivityRequest
{
    /// <summary>The campaign's id.</summary>
    public long Id { get; set; }

    /// <summary>The width of a point: minute (default) or hour.</summary>
    public string? Bucket { get; set; }

    public static readonly IReadOnlyDictionary<string, TimeSpan> Buckets = new Dictionary<string, TimeSpan>
    {
        ["minute"] = TimeSpan.FromMinutes(1),
        ["hour"] = TimeSpan.FromHours(1),
    };

    public const string DefaultBucket = "minute";
}

public sealed class CampaignActivityValidator : Validator<CampaignActivityRequest>
{
    public CampaignActivityValidator()
    {
        RuleFor(q => q.Bucket)
            .Must(bucket => CampaignActivityRequest.Buckets.ContainsKey(bucket!))
            .WithMessage($"'{{PropertyName}}' must be one of: {string.Join(", ", CampaignActivityRequest.Buckets.Keys)}.")
            .When(q => q.Bucket is not null);
    }
}

/// <summary>A campaign's activity over time, one point per bucket from its start.</summary>
/// <param name="CampaignId">The campaign.</param>
/// <param name="Bucket">minute or hour.</param>
/// <param name="From">The first point's start: the campaign's start, rounded down to the bucket (UTC); null until it started.</param>
/// <param name="To">The end of the last point (exclusive); null until it started.</param>
/// <param name="Truncated">The series stops at 500 points before now: later activity is not shown (ask for hours).</param>
/// <param name="Points">Every bucket from From to To, empty ones included, oldest first; at most 500.</param>
public sealed record CampaignActivityResponse(long CampaignId, string Bucket, DateTimeOffset? From, DateTimeOffset? To, bool Truncated, IReadOnlyList<ActivityPoint> Points);

/// <summary>What happened in one bucket.</summary>
/// <param name="At">The bucket's start.</param>
/// <param name="Sent">Emails the SMTP server accepted in it.</param>
/// <param name="Opens">Emails first opened in it (unique opens: each email counts once, in the bucket of its first open).</param>
/// <param name="Clicks">Emails whose first link was followed in it (unique clicks).</param>
public sealed record ActivityPoint(DateTimeOffset At, int Sent, int Opens, int Clicks);
