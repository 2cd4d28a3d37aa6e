using TasksConsole.Api;
using TasksConsole.Components.DeadLetterViews;
using Kind = TasksConsole.Components.DeadLetterViews.DeadLetterPayload.Kind;

namespace TasksConsole.Tests.Components.DeadLetterViews;

public sealed class DeadLetterPayloadTests
{
    [Theory]
    [InlineData("""{"name":"x","n":[1]}""", false, "{\n  \"name\": \"x\",\n  \"n\": [\n    1\n  ]\n}", Kind.Json)]
    [InlineData("not json {", false, "not json {", Kind.Text)]
    [InlineData("eyJhIjox", true, "eyJhIjox", Kind.Base64)]
    [InlineData(null, false, "No value (a tombstone).", Kind.None)]
    public void Format_Payload_IndentsJsonElseShowsItAsItIs(string? payload, bool base64, string text, Kind kind)
    {
        Assert.Equal((text, kind), DeadLetterPayload.Format(payload, base64));
    }

    [Fact]
    public void WhyNotReplayable_EachCause_NamesIt()
    {
        Assert.Null(DeadLetterPayload.WhyNotReplayable(new DeadLetterResponse { State = "waiting", SourceTopic = "tasks.requests", Replayable = true }));
        Assert.Equal("It was replayed already.", DeadLetterPayload.WhyNotReplayable(new DeadLetterResponse { State = "replayed", SourceTopic = "tasks.requests" }));
        Assert.StartsWith("It is a truncated copy", DeadLetterPayload.WhyNotReplayable(new DeadLetterResponse { State = "waiting", Truncated = true }));
        Assert.StartsWith("The topic it came from is unknown", DeadLetterPayload.WhyNotReplayable(new DeadLetterResponse { State = "waiting" }));
        Assert.Equal("It came from 'elsewhere', which is not a topic of the system.",
            DeadLetterPayload.WhyNotReplayable(new DeadLetterResponse { State = "waiting", SourceTopic = "elsewhere" }));
    }
}
