using System.Text.Json;
using TasksConsole.Components.Shared;

namespace TasksConsole.Components.DeadLetterViews;

/// <summary>A dead letter's value as the page shows it: indented JSON when it parses, else its text, or its base64 as such.</summary>
public static class DeadLetterPayload
{
    public enum Kind
    {
        None,
        Json,
        Text,
        Base64,
    }

    /// <summary>What to show for <paramref name="payload"/> (as TaskApi gives it) and what it is.</summary>
    public static (string Text, Kind Kind) Format(string? payload, bool isBase64)
    {
        if (payload is null)
        {
            return ("No value (a tombstone).", Kind.None);
        }
        if (isBase64)
        {
            return (payload, Kind.Base64);
        }
        try
        {
            using var json = JsonDocument.Parse(payload);
            return (PrettyJson.Format(json.RootElement), Kind.Json);
        }
        catch (JsonException)
        {
            return (payload, Kind.Text);
        }
    }

    /// <summary>Why the dead letter cannot be replayed, or null when it can.</summary>
    public static string? WhyNotReplayable(Api.DeadLetterResponse deadLetter) => deadLetter switch
    {
        { Replayable: true } => null,
        { State: not DeadLetterStates.Waiting } => $"It was {deadLetter.State} already.",
        { Truncated: true } => "It is a truncated copy of a record too large to dead-letter whole.",
        { SourceTopic: null } => "The topic it came from is unknown (no readable dlq-source header).",
        _ => $"It came from '{deadLetter.SourceTopic}', which is not a topic of the system.",
    };
}

/// <summary>A dead letter's states as TaskApi names them.</summary>
public static class DeadLetterStates
{
    public const string Waiting = "waiting";
    public const string Replayed = "replayed";
    public const string Discarded = "discarded";

    public static readonly IReadOnlyList<string> All = [Waiting, Replayed, Discarded];
}
