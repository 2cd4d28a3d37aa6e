using FastEndpoints;
using FluentValidation;

namespace TaskApi.Features.Mailings.CreateMailing;

public sealed class CreateMailingValidator : Validator<CreateMailingRequest>
{
    public CreateMailingValidator(TimeProvider clock)
    {
        RuleFor(m => m.Text).SmsText();
        RuleFor(m => m.StartAt).NotNull().WithinLeadTime(clock);
        RuleFor(m => m.EndAt).NotNull()
            .Must(end => end > clock.GetUtcNow()).WithMessage("'{PropertyName}' must be in the future.")
            .DependentRules(() => RuleFor(m => m.EndAt)
                .Must((m, end) => end > m.StartAt).WithMessage("'{PropertyName}' must be after 'startAt'.")
                .When(m => m.StartAt is not null));
        RuleFor(m => m.Filter!).SetValidator(new MailingFilterValidator()).When(m => m.Filter is not null);
        RuleFor(m => m.SendWindow!).SetValidator(new SendWindowValidator()).When(m => m.SendWindow is not null);
    }
}
