using System.Text;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Tasks.CreateTask;

/// <summary>The rules of a new task, for REST and Kafka intake alike (the intake consumer runs it on every message).</summary>
public sealed class CreateTaskValidator : Validator<CreateTaskRequest>
{
    public const int MaxNameLength = 200;
    public const int MaxPayloadBytes = 64 * 1024;
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxAttempts = 10;
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromDays(365);

    /// <summary>Request bodies (and intake messages) larger than this are refused before they are parsed: the payload plus room for the rest.</summary>
    public const int MaxRequestBytes = MaxPayloadBytes + 8 * 1024;

    public CreateTaskValidator(TimeProvider clock)
    {
        // MaximumLength before NotEmpty: FastEndpoints.Swagger writes the last length rule's bounds into the schema.
        RuleFor(t => t.Name)
            .MaximumLength(MaxNameLength)
            .NotEmpty()
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");

        RuleFor(t => t.Payload)
            .Must(payload => payload is null || Encoding.UTF8.GetByteCount(payload.Value.GetRawText()) <= MaxPayloadBytes)
            .WithMessage($"'{{PropertyName}}' must be at most {MaxPayloadBytes} bytes of JSON.")
            .Must(payload => payload is null || TextRules.HasOnlyValidUnicode(payload.Value))
            .WithMessage("'{PropertyName}' must not contain unpaired surrogate escapes such as \\ud800.");

        RuleFor(t => t.RunAt)
            .Must(runAt => runAt <= clock.GetUtcNow() + MaxDeferral)
            .WithMessage("'{PropertyName}' must be at most one year ahead.")
            .When(t => t.RunAt is not null);

        RuleFor(t => t.DelaySeconds)
            .InclusiveBetween(0, (int)MaxDeferral.TotalSeconds)
            .When(t => t.DelaySeconds is not null);

        RuleFor(t => t.DelaySeconds)
            .Null().WithMessage("Give either 'runAt' or 'delaySeconds', not both.")
            .When(t => t.RunAt is not null);

        RuleFor(t => t.MaxAttempts)
            .InclusiveBetween(1, MaxAttempts)
            .When(t => t.MaxAttempts is not null);

        RuleFor(t => t.IdempotencyKey).MustBeIdempotencyKey().When(t => t.IdempotencyKey is not null);
    }
}

/// <summary>The rule of an Idempotency-Key header, for tasks and notifications alike.</summary>
public static class IdempotencyKeyRule
{
    /// <summary>1 to 200 visible ASCII characters, named by the header in the problem.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeIdempotencyKey<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Length(1, CreateTaskValidator.MaxIdempotencyKeyLength)
            .MatchesEntirely("^[\x21-\x7E]+$").WithMessage("'{PropertyName}' must be visible ASCII characters without spaces.")
            .OverridePropertyName(CreateTaskRequest.IdempotencyKeyHeader)
            .WithName(CreateTaskRequest.IdempotencyKeyHeader);
}
