using System.ComponentModel.DataAnnotations;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Notifications;

/// <summary>Bound from the <c>Notifications</c> section: the sender, burst spreading, the per-user cap and retries.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>The notification emails' sender.</summary>
    public string From { get; set; } = "notifications@tasks.localhost";

    /// <summary>The sender's display name; null: the bare address.</summary>
    public string? FromName { get; set; }

    /// <summary>How many due deliveries of a notification go at once; the rest are spread at <see cref="BurstPerSecond"/>.</summary>
    [Range(1, 1_000_000)]
    public int BurstSize { get; set; } = 100;

    /// <summary>
    /// The deliveries a second beyond the first burst. At most <see cref="BurstSize"/>: a second's share then goes at once
    /// when it comes due, so deliveries spread once are not spread again.
    /// </summary>
    [Range(1, 1_000_000)]
    public int BurstPerSecond { get; set; } = 100;

    /// <summary>The notifications one user receives in an hour at most (express ones aside); 0: no cap.</summary>
    [Range(0, 1_000_000)]
    public int MaxPerUserPerHour { get; set; }

    /// <summary>The wait before a delivery whose attempt failed transiently is tried again.</summary>
    public BackoffOptions Retries { get; set; } = new() { BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(10) };

    /// <summary>Attempts after which a delivery still failing transiently is failed with its last error.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EmailAddresses.IsBareAddress(From))
        {
            yield return new ValidationResult($"Notifications:From '{From}' is not an email address.", [nameof(From)]);
        }
        if (BurstPerSecond > BurstSize)
        {
            yield return new ValidationResult(
                $"Notifications:BurstPerSecond ({BurstPerSecond}) must not exceed Notifications:BurstSize ({BurstSize}).", [nameof(BurstPerSecond)]);
        }
    }
}
