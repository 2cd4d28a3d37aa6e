using System.Net;
using Bunit;
using TasksConsole.Api;
using TasksConsole.Components.NotificationViews;

namespace TasksConsole.Tests.Components.NotificationViews;

public sealed class NotificationFormTests : MudComponentTest
{
    private readonly List<CreateNotificationRequest> _submitted = [];

    [Fact]
    public async Task Submit_FilledForm_SendsEachUserOnceTheCheckedChannelsAndTheSendTimeInUtc()
    {
        var form = RenderForm(problem: null);

        await form.Find("textarea[data-testid=notification-user-ids]").ChangeAsync(new() { Value = "u-1, u-2\nu-3;u-1  " });
        await CheckBox(form, "channel-inApp").ChangeAsync(new() { Value = true });
        await CheckBox(form, "channel-email").ChangeAsync(new() { Value = true });
        await form.Find("input[data-testid=notification-title]").ChangeAsync(new() { Value = " Maintenance " });
        await form.Find("textarea[data-testid=notification-text]").ChangeAsync(new() { Value = "Down at nine." });
        await form.Find("input[data-testid=notification-send-at]").ChangeAsync(new() { Value = "2026-12-08T09:30" });
        await CheckBox(form, "notification-express").ChangeAsync(new() { Value = true });
        await SendAsync(form);

        var request = Assert.Single(_submitted);
        Assert.Equal(["u-1", "u-2", "u-3"], request.UserIds);
        // In the order the form offers them, whatever order they were checked in.
        Assert.Equal(["email", "inApp"], request.Channels);
        Assert.Equal("Maintenance", request.Title);
        Assert.Equal("Down at nine.", request.Text);
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 9, 30, 0, TimeSpan.Zero), request.SendAt);
        Assert.True(request.Express);
        Assert.Null(request.TemplateId);
    }

    [Fact]
    public async Task Submit_WithATemplate_SendsTheTemplateAndNoTitle()
    {
        var form = RenderForm(problem: null);

        await form.Find("input[data-testid=notification-title]").ChangeAsync(new() { Value = "typed before the template" });
        await form.Find("input[data-testid=notification-template]").ChangeAsync(new() { Value = "42" });
        Assert.True(form.Find("input[data-testid=notification-title]").HasAttribute("disabled"));
        await SendAsync(form);

        var request = Assert.Single(_submitted);
        Assert.Equal(42, request.TemplateId);
        Assert.Null(request.Title);
        Assert.Null(request.SendAt);
    }

    [Fact]
    public async Task Submit_ProblemNamingAUserByIndexAndTheChannels_ShowsEachAtItsFieldAndKeepsTheForm()
    {
        var form = RenderForm(new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]>
            {
                ["userIds[1]"] = ["'userIds[1]' must be 1 to 128 visible characters."],
                ["channels"] = ["'channels' must not be empty."],
                ["data"] = ["'data' must be a JSON object."],
            }));

        await form.Find("textarea[data-testid=notification-user-ids]").ChangeAsync(new() { Value = "u-1 u 2" });
        await SendAsync(form);

        var userIdsField = form.Find("textarea[data-testid=notification-user-ids]").Closest(".mud-input-control")!;
        Assert.Contains("'userIds[1]' must be 1 to 128 visible characters.", userIdsField.TextContent);
        Assert.Equal("'channels' must not be empty.", form.Find("[data-testid=channels-error]").TextContent);
        // A field the form does not have is named in the alert; those shown at their fields are not repeated there.
        var alert = form.Find("[role=alert]").TextContent;
        Assert.Contains("data: 'data' must be a JSON object.", alert);
        Assert.DoesNotContain("userIds", alert);
        Assert.Equal("u-1 u 2", form.Find("textarea[data-testid=notification-user-ids]").GetAttribute("value") ?? form.Find("textarea[data-testid=notification-user-ids]").TextContent);
    }

    [Fact]
    public async Task Submit_UnreadableSendTime_ShowsItAtTheFieldWithoutSending()
    {
        var form = RenderForm(problem: null);

        await form.Find("input[data-testid=notification-send-at]").ChangeAsync(new() { Value = "tomorrow" });
        await SendAsync(form);

        Assert.Empty(_submitted);
        var sendAtField = form.Find("input[data-testid=notification-send-at]").Closest(".mud-input-control")!;
        Assert.Contains("'sendAt' must be a date and time", sendAtField.TextContent);
    }

    [Fact]
    public async Task Submit_Accepted_EmptiesTheFormForTheNextOne()
    {
        var form = RenderForm(problem: null);

        await form.Find("textarea[data-testid=notification-text]").ChangeAsync(new() { Value = "Sent once." });
        await SendAsync(form);

        await SendAsync(form);

        Assert.Equal(["Sent once.", ""], _submitted.Select(request => request.Text));
    }

    private IRenderedComponent<NotificationForm> RenderForm(ApiProblemException? problem) =>
        Render<NotificationForm>(parameters => parameters.Add(p => p.Submit, request =>
        {
            _submitted.Add(request);
            return Task.FromResult(problem);
        }));

    /// <summary>A check box's or switch's input, wherever MudBlazor puts the test id (on the input or around it).</summary>
    private static AngleSharp.Dom.IElement CheckBox(IRenderedComponent<NotificationForm> form, string testId) =>
        form.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static Task SendAsync(IRenderedComponent<NotificationForm> form) =>
        form.Find("button[data-testid=send-notification]").ClickAsync(new());
}
