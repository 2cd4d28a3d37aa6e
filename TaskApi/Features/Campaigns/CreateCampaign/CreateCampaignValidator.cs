using FastEndpoints;
using FluentValidation;
using TaskApi.Features.Lists;
using TaskApi.Features.Templates;
using TaskApi.Features.Mailings;
using TaskApi.Infrastructure;
using Tasks.EmailTemplates;

namespace TaskApi.Features.Campaigns.CreateCampaign;

public sealed class CreateCampaignValidator : Validator<CreateCampaignRequest>
{
    public const int MaxLists = 50;

    public CreateCampaignValidator(TimeProvider clock)
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(CampaignConfiguration.MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
        RuleFor(c => c.TemplateId).NotNull().GreaterThan(0);
        RuleFor(c => c.ListIds).NotEmpty()
            .Must(ids => ids!.Length <= MaxLists).WithMessage($"'{{PropertyName}}' must have at most {MaxLists} lists.")
            .When(c => c.ListIds is not null, ApplyConditionTo.CurrentValidator);
        RuleForEach(c => c.ListIds).GreaterThan(0);
        RuleFor(c => c.From).NotNull().SetValidator(new SenderValidator()!);
        RuleFor(c => c.Message).MaximumLength(CampaignConfiguration.MaxMessageLength)
            .Must(text => text is null || TextRules.IsStorable(text)).WithMessage("'{PropertyName}' must not contain NUL or invalid Unicode.");
        RuleFor(c => c.Subject).NotEmpty().MaximumLength(CampaignConfiguration.MaxSubjectLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must be one line without control characters.")
            .When(c => c.Subject is not null);
        // Compiled now, as a template's subject is: a broken one would otherwise fail every email of the campaign.
        RuleFor(c => c.Subject).Custom((subject, context) =>
        {
            foreach (var error in EmailTemplateCompiler.CheckSubject(subject!))
            {
                context.AddFailure(TemplateRules.Describe(error));
            }
        }).When(c => c.Subject is { Length: > 0 and <= CampaignConfiguration.MaxSubjectLength });
        RuleFor(c => c.SendAt).WithinLeadTime(clock);
    }
}

public sealed class SenderValidator : Validator<SenderRequest>
{
    public SenderValidator()
    {
        RuleFor(s => s.Email).EmailAddress();
        RuleFor(s => s.Name).MaximumLength(CampaignConfiguration.MaxNameLength)
            .Must(TextRules.IsPrintable).WithMessage("'{PropertyName}' must not contain control characters or invalid Unicode.");
    }
}
