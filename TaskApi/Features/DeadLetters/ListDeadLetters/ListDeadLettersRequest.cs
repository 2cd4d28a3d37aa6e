using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;
using Tasks.Shared;

namespace TaskApi.Features.DeadLetters.ListDeadLetters;

/// <summary>Filters and page of <c>GET /dead-letters</c>, from the query string.</summary>
public sealed class ListDeadLettersRequest : IPagedRequest
{
    /// <summary>Only dead letters of this topic: the topic they came from (e.g. tasks.requests) or the dead-letter topic (tasks.requests.dlq).</summary>
    public string? Topic { get; set; }

    /// <summary>Only dead letters whose reason contains this text, in any case (up to 200 characters).</summary>
    public string? Reason { get; set; }

    /// <summary>Only dead letters in this state: waiting, replayed or discarded.</summary>
    public string? State { get; set; }

    /// <summary>Page number, from 1 (default 1); page × pageSize at most 10,000.</summary>
    public int? Page { get; set; }

    /// <summary>Dead letters per page, 1 to 100 (default 20).</summary>
    public int? PageSize { get; set; }
}

public sealed class ListDeadLettersValidator : Validator<ListDeadLettersRequest>
{
    public const int MaxReasonFilterLength = 200;

    public ListDeadLettersValidator()
    {
        RuleFor(q => q.Topic)
            .Must(KafkaTopics.IsValidName).When(q => q.Topic is not null)
            .WithMessage("'{PropertyName}' must be a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.");
        RuleFor(q => q.Reason)
            .MaximumLength(MaxReasonFilterLength)
            .Must(reason => TextRules.IsStorable(reason!)).When(q => q.Reason is not null)
            .WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");
        RuleFor(q => q.State)
            .Must(state => StatusNames<DeadLetterState>.ByName.ContainsKey(state!)).When(q => q.State is not null)
            .WithMessage($"'{{PropertyName}}' must be {StatusNames<DeadLetterState>.OneOf}.");
        Include(new PagingRules());
    }
}
