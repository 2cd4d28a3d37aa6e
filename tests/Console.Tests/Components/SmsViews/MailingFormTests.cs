using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Time.Testing;
using TasksConsole.Api;
using TasksConsole.Components.SmsViews;

namespace TasksConsole.Tests.Components.SmsViews;

public sealed class MailingFormTests : MudComponentTest
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The filters counted, in order; the first is the empty filter counted when the form opens.</summary>
    private readonly List<(string[] Tags, string[] OperatorCodes)> _counted = [];

    [Fact]
    public void EditFilter_SeveralEditsWithinTheDelay_CountsOnceWithTheLastFilter()
    {
        var form = RenderForm(filter => Task.FromResult(Counted(filter.Tags.Count == 0 ? 10 : 2)));
        form.WaitForAssertion(() => Assert.Equal("10 clients match", MatchText(form)));

        foreach (var typed in new[] { "v", "vi", "vip, new" })
        {
            Type(form, "filter-tags", typed);
            _clock.Advance(MailingForm.PreviewDelay - TimeSpan.FromMilliseconds(100));
        }
        _clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Single(_counted);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        form.WaitForAssertion(() => Assert.Equal("2 clients match", MatchText(form)));
        Assert.Equal(2, _counted.Count);
        Assert.Equal(["vip", "new"], _counted[1].Tags);
    }

    [Fact]
    public async Task EditFilter_WhileACountIsUnderWay_CountsTheLatestFilterOnlyAfterIt()
    {
        var answers = new Queue<TaskCompletionSource<ApiOutcome<MailingPreviewResponse>>>();
        var form = RenderForm(_ =>
        {
            var answer = new TaskCompletionSource<ApiOutcome<MailingPreviewResponse>>();
            answers.Enqueue(answer);
            return answer.Task;
        });
        form.WaitForAssertion(() => Assert.Single(answers));
        await form.InvokeAsync(() => answers.Dequeue().SetResult(Counted(10)));

        Type(form, "filter-operator-codes", "900");
        _clock.Advance(MailingForm.PreviewDelay);
        form.WaitForAssertion(() => Assert.Equal(2, _counted.Count));
        Type(form, "filter-operator-codes", "900, 916");
        _clock.Advance(MailingForm.PreviewDelay);
        // The first count is still under way: the second waits for it.
        Assert.Equal(2, _counted.Count);

        await form.InvokeAsync(() => answers.Dequeue().SetResult(Counted(5)));

        form.WaitForAssertion(() => Assert.Equal(3, _counted.Count));
        Assert.Equal(["900", "916"], _counted[2].OperatorCodes);
        await form.InvokeAsync(() => answers.Dequeue().SetResult(Counted(7)));
        form.WaitForAssertion(() => Assert.Equal("7 clients match", MatchText(form)));
    }

    [Fact]
    public async Task Submit_ProblemNamingFields_ShowsEachMessageAtItsField()
    {
        CreateMailingRequest? submitted = null;
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]>
            {
                ["endAt"] = ["'endAt' must be after 'startAt'."],
                ["filter.operatorCodes[0]"] = ["'operatorCodes' must be exactly 3 digits."],
                ["sendWindow.to"] = ["'to' must be a time of day HH:mm."],
            });
        var form = RenderForm(_ => Task.FromResult(Counted(1)), request =>
        {
            submitted = request;
            return Task.FromResult<ApiProblemException?>(problem);
        });
        await form.Find("textarea[data-testid=mailing-text]").ChangeAsync(new() { Value = "Sale starts today" });
        Type(form, "filter-operator-codes", "90");

        await form.Find("[data-testid=create-mailing]").ClickAsync(new());

        Assert.Equal("Sale starts today", submitted!.Text);
        Assert.Equal(_clock.GetUtcNow(), submitted.StartAt);
        Assert.Equal(_clock.GetUtcNow().AddDays(1), submitted.EndAt);
        Assert.Equal(["90"], submitted.Filter.OperatorCodes);
        Assert.Null(submitted.SendWindow);
        Assert.Contains("'endAt' must be after 'startAt'.", FieldText(form, "mailing-end"));
        Assert.Contains("must be exactly 3 digits", FieldText(form, "filter-operator-codes"));
        Assert.Contains("HH:mm", FieldText(form, "window-to"));
        Assert.DoesNotContain("startAt", FieldText(form, "mailing-start"));
        // Each at its field, not again in the alert, which keeps the title.
        var alert = form.Find("[role=alert]").TextContent;
        Assert.Contains("One or more validation errors occurred.", alert);
        Assert.DoesNotContain("3 digits", alert);
    }

    [Fact]
    public void Preview_ProblemNamingATag_ShowsItAtTheTagsField()
    {
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]> { ["tags[0]"] = ["'tags' must not contain control characters or invalid Unicode."] });

        var form = RenderForm(_ => Task.FromResult(new ApiOutcome<MailingPreviewResponse>(null, problem)));

        form.WaitForAssertion(() => Assert.Contains("control characters", FieldText(form, "filter-tags")));
        Assert.Equal("The filter cannot be counted", MatchText(form));
    }

    private IRenderedComponent<MailingForm> RenderForm(
        Func<MailingFilterRequest, Task<ApiOutcome<MailingPreviewResponse>>> preview,
        Func<CreateMailingRequest, Task<ApiProblemException?>>? submit = null) =>
        Render<MailingForm>(parameters => parameters
            .Add(p => p.Clock, _clock)
            .Add(p => p.Preview, filter =>
            {
                _counted.Add(([.. filter.Tags], [.. filter.OperatorCodes]));
                return preview(filter);
            })
            .Add(p => p.Submit, submit ?? (_ => Task.FromResult<ApiProblemException?>(null))));

    /// <summary>
    /// Finds the field and starts its input event on the renderer's dispatcher, so no render (a count arriving) can come
    /// between and retire the handler found; the handler itself is not awaited (it waits for the delay, which only the
    /// clock ends).
    /// </summary>
    private static void Type(IRenderedComponent<MailingForm> form, string testId, string text) =>
        form.InvokeAsync(() => form.Find($"input[data-testid={testId}]").Input(new ChangeEventArgs { Value = text })).GetAwaiter().GetResult();

    private static ApiOutcome<MailingPreviewResponse> Counted(long clients) => new(new MailingPreviewResponse { Clients = clients }, null);

    private static string MatchText(IRenderedComponent<MailingForm> form) => form.Find("[data-testid=match-count]").TextContent.Trim();

    private static string FieldText(IRenderedComponent<MailingForm> form, string testId) =>
        form.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;
}
