using Bunit;
using Tasks.Shared;
using TasksConsole.Components.NotificationViews;

namespace TasksConsole.Tests.Components.NotificationViews;

public sealed class ScheduleActionsTests : MudComponentTest
{
    [Theory]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Operator, true)]
    [InlineData(Roles.Viewer, false)]
    public void Render_Running_OffersPauseAndDeleteOnlyToRolesThatMayWrite(string role, bool offered)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(role);

        var actions = Render<ScheduleActions>(parameters => parameters.Add(p => p.ScheduleId, 7).Add(p => p.Paused, false));

        Assert.Equal(offered, actions.FindAll("[data-testid=pause-schedule]").Count == 1);
        Assert.Equal(offered, actions.FindAll("[data-testid=delete-schedule]").Count == 1);
    }

    [Theory]
    [InlineData(false, "pause-schedule", true)]
    [InlineData(true, "resume-schedule", false)]
    public async Task Click_PauseOrResume_AsksForTheOppositeState(bool paused, string button, bool asked)
    {
        AddAuthorization().SetAuthorized("someone").SetRoles(Roles.Operator);
        var requested = new List<bool>();

        var actions = Render<ScheduleActions>(parameters => parameters.Add(p => p.ScheduleId, 7).Add(p => p.Paused, paused)
            .Add(p => p.OnPausedChange, value => requested.Add(value)));
        await actions.Find($"button[data-testid={button}]").ClickAsync(new());

        Assert.Equal([asked], requested);
    }
}
