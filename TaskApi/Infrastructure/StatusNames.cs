using System.Collections.Frozen;
using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaskApi.Infrastructure;

/// <summary>
/// The words the API, the database and the messages use for a status enum's values (<c>InProgress</c> → "in_progress"),
/// so a table reads like the API.
/// </summary>
public static class StatusNames<TStatus> where TStatus : struct, Enum
{
    public static readonly FrozenDictionary<string, TStatus> ByName =
        Enum.GetValues<TStatus>().ToFrozenDictionary(Of);

    public static string Of(TStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static TStatus Parse(string name) => ByName[name];

    /// <summary>"one of: a, b, c", for validation messages.</summary>
    public static readonly string OneOf = $"one of: {string.Join(", ", ByName.Keys)}";

    /// <summary>Statuses as an SQL list, <c>('a', 'b')</c>.</summary>
    public static string SqlList(params IEnumerable<TStatus> statuses) => $"({string.Join(", ", statuses.Select(s => $"'{Of(s)}'"))})";
}

public static class StatusColumnExtensions
{
    public const int MaxStatusLength = 20;

    /// <summary>A status stored as its API word in a varchar column.</summary>
    public static PropertyBuilder<TStatus> IsStatusColumn<TStatus>(this PropertyBuilder<TStatus> property, string columnName)
        where TStatus : struct, Enum =>
        property.HasColumnName(columnName).HasMaxLength(MaxStatusLength)
            .HasConversion(status => StatusNames<TStatus>.Of(status), name => StatusNames<TStatus>.Parse(name));
}

/// <summary>The status filter a list endpoint reads from its query string.</summary>
public interface IStatusFilteredRequest
{
    /// <summary>Only items in this status; null: any.</summary>
    string? Status { get; }
}

/// <summary>The words a status filter may be, included by each list endpoint's validator.</summary>
public sealed class StatusFilterRules<TStatus> : AbstractValidator<IStatusFilteredRequest> where TStatus : struct, Enum
{
    public StatusFilterRules() =>
        RuleFor(q => q.Status)
            .Must(status => status is null || StatusNames<TStatus>.ByName.ContainsKey(status))
            .WithMessage($"'{{PropertyName}}' must be {StatusNames<TStatus>.OneOf}.");
}
