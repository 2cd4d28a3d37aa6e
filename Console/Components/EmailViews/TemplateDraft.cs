using TasksConsole.Api;

namespace TasksConsole.Components.EmailViews;

/// <summary>A template as the editor holds it while it is typed: saved as a create or a replace, previewed unsaved.</summary>
public sealed class TemplateDraft
{
    /// <summary>The values the preview renders the draft with: a sample recipient and sender.</summary>
    public const string SampleRecipientEmail = "ann@example.com";
    public const string SampleRecipientName = "Ann Example";
    public const string SampleSenderEmail = "news@example.com";
    public const string SampleSenderName = "The Shop";
    public const string SampleMessage = "Spring is here";

    /// <summary>The fields as TaskApi's problems name them: the editor shows their messages at them.</summary>
    public static readonly string[] Fields = ["name", "subject", "html", "text"];

    public string Name { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Html { get; set; } = "";
    public string Text { get; set; } = "";

    public static TemplateDraft From(TemplateResponse template) => new()
    {
        Name = template.Name,
        Subject = template.Subject,
        Html = template.Html,
        Text = template.Text ?? "",
    };

    public TemplateRequest ToCreate() => new() { Name = Name, Subject = Subject, Html = Html, Text = NullIfEmpty(Text) };

    public UpdateTemplateRequest ToUpdate() => new() { Name = Name, Subject = Subject, Html = Html, Text = NullIfEmpty(Text) };

    public PreviewDraftRequest ToPreview() => new()
    {
        Subject = Subject,
        Html = Html,
        Text = NullIfEmpty(Text),
        Recipient = new PreviewRecipient { Email = SampleRecipientEmail, Name = SampleRecipientName },
        Sender = new PreviewPerson { Email = SampleSenderEmail, Name = SampleSenderName },
        Message = SampleMessage,
        CampaignName = string.IsNullOrWhiteSpace(Name) ? null : Name,
    };

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

/// <summary>What a preview call answered: the rendered email, or the problem (a part's error at its line and column).</summary>
public sealed record DraftPreview(TemplatePreviewResponse? Email, ApiProblemException? Problem);
