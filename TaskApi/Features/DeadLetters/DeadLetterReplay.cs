using Tasks.Shared;

namespace TaskApi.Features.DeadLetters;

/// <summary>When a dead letter can be published again to where it came from.</summary>
public static class DeadLetterReplay
{
    private static readonly HashSet<string> OurTopics = [.. KafkaTopics.All.Except(KafkaTopics.DeadLetterTopics)];

    /// <summary>
    /// Null when <paramref name="deadLetter"/> can be replayed: it waits, is whole (not a truncated copy), and its source is
    /// known and one of our topics (never a dead-letter topic, nor a topic a hand-made <c>dlq-source</c> names); else why not.
    /// </summary>
    public static string? WhyNot(DeadLetter deadLetter) => DeadLetterStateChange.UnlessWaiting(deadLetter) ?? deadLetter switch
    {
        { Truncated: true } => $"Dead letter {deadLetter.Id} is a truncated copy (the original was {deadLetter.OriginalSize} bytes)" +
            (deadLetter.SourceTopic is null ? "." : $"; the whole record is at {deadLetter.SourceTopic}/{deadLetter.SourcePartition}/{deadLetter.SourceOffset} while that topic retains it."),
        { SourceTopic: null } => $"Dead letter {deadLetter.Id} has no readable {DeadLetterHeaders.Source} header: where it came from is unknown.",
        _ when !OurTopics.Contains(deadLetter.SourceTopic) =>
            $"Dead letter {deadLetter.Id} came from '{deadLetter.SourceTopic}', which is not one of the system's topics; it is not replayed there.",
        _ => null,
    };
}
