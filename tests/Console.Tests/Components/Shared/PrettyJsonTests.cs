using System.Text.Json;
using TasksConsole.Components.Shared;

namespace TasksConsole.Tests.Components.Shared;

public sealed class PrettyJsonTests
{
    [Fact]
    public void Format_EscapedLoneSurrogate_ShowsThePayloadAsStored()
    {
        // JSON, but not text: TaskApi keeps such a payload verbatim, and writing it again fails.
        const string stored = """{"text":"\ud800"}""";

        Assert.Equal(stored, PrettyJson.Format(JsonSerializer.Deserialize<JsonElement>(stored)));
    }
}
