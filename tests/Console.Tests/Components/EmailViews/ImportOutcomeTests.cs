using System.Net;
using Bunit;
using TasksConsole.Api;
using TasksConsole.Components.EmailViews;

namespace TasksConsole.Tests.Components.EmailViews;

public sealed class ImportOutcomeTests : MudComponentTest
{
    [Fact]
    public void Render_CsvWithBadRows_NamesEachByItsLineOfTheFile()
    {
        // A header, a good row, a row spread over two lines by a quoted name, then the bad row.
        var file = SubscriberCsv.Read(new StringReader("email,name,plan\nann@example.com,Ann,gold\nbob@example.com,\"Bob\nBuilder\",\nnot-an-address,Carl,silver\n"));
        Assert.Null(file.Refusal);
        Assert.Equal(["ann@example.com", "bob@example.com", "not-an-address"], file.Subscribers.Select(row => row.Email));
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null, new Dictionary<string, string[]>
        {
            ["[2].email"] = ["'Email' is not a valid email address."],
            ["[0]"] = ["Each row must be a subscriber object, not null."],
        });

        var outcome = Render<ImportOutcome>(parameters => parameters.Add(p => p.Problem, problem).Add(p => p.Lines, file.Lines));

        var rows = outcome.FindAll("[data-testid=import-problem] li").Select(row => row.TextContent).ToList();
        Assert.Equal(["Line 2: Each row must be a subscriber object, not null.", "Line 5: email: 'Email' is not a valid email address."], rows);
        Assert.Contains("Nothing was imported", outcome.Find("[data-testid=import-problem]").TextContent);
    }

    [Fact]
    public void Render_ImportStored_ShowsTheCounts()
    {
        var outcome = Render<ImportOutcome>(parameters => parameters.Add(p => p.Result, new ImportSubscribersResponse { Created = 1200, Updated = 3 }));

        Assert.Contains("1,200 created, 3 updated", outcome.Find("[data-testid=import-result]").TextContent);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("address,name\nann@example.com,Ann\n", "no 'email' column")]
    [InlineData("email,name\n", "no subscribers")]
    public void Read_FileWithoutRows_IsRefusedSayingWhy(string csv, string why)
    {
        var file = SubscriberCsv.Read(new StringReader(csv));

        Assert.Contains(why, file.Refusal);
        Assert.Empty(file.Subscribers);
    }

    [Fact]
    public void Read_ExtraColumns_BecomeFieldsAndEmptyCellsAreLeftOut()
    {
        var file = SubscriberCsv.Read(new StringReader("Email;Name;plan;city\n ann@example.com ;Ann;gold;\n"));

        var row = Assert.Single(file.Subscribers);
        Assert.Equal("ann@example.com", row.Email);
        Assert.Equal("Ann", row.Name);
        Assert.Equal(new Dictionary<string, string> { ["plan"] = "gold" }, row.Fields);
    }
}
