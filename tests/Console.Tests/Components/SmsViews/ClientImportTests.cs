using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using TasksConsole.Api;
using TasksConsole.Components.SmsViews;

namespace TasksConsole.Tests.Components.SmsViews;

public sealed class ClientImportTests : MudComponentTest
{
    private readonly List<IReadOnlyList<ClientRequest>> _sent = [];

    [Fact]
    public void Upload_RowsTaskApiRefuses_NamesEachByItsLineInTheFile()
    {
        // TaskApi counts the rows sent from 0 and names a repeated phone by its first row.
        var problem = new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]>
            {
                ["[2].phone"] = ["The phone duplicates row [0]; give each phone once."],
                ["[1].timezone"] = ["'timezone' must be an IANA time zone id such as Europe/Moscow or UTC (letter case matters)."],
            });
        var import = RenderImport(new ApiOutcome<ImportClientsResponse>(null, problem));

        Upload(import, "Phone,tag,timezone\n79001234567,vip,Europe/Moscow\n\n79161234567,vip,Mars/Olympus\n+79001234567,,\n");

        import.WaitForAssertion(() => Assert.Equal(
            [
                "Line 4: 'timezone' must be an IANA time zone id such as Europe/Moscow or UTC (letter case matters).",
                "Line 5: The phone duplicates line 2; give each phone once.",
            ],
            import.FindAll("[data-testid=import-problems] li").Select(item => item.TextContent.Trim())));
        var rows = Assert.Single(_sent);
        Assert.Equal(["79001234567", "79161234567", "+79001234567"], rows.Select(row => row.Phone));
        Assert.Equal(["vip", "vip", null], rows.Select(row => row.Tag));
        Assert.Equal(["Europe/Moscow", "Mars/Olympus", null], rows.Select(row => row.Timezone));
        Assert.All(rows, row => Assert.Null(row.OperatorCode));
    }

    [Fact]
    public void Upload_MalformedLines_NamesThemAndSendsNothing()
    {
        var import = RenderImport(new ApiOutcome<ImportClientsResponse>(new ImportClientsResponse { Created = 1 }, null));

        Upload(import, "phone,tag\n79001234567,vip\n79161234567,vip,extra\n7925\"1234567,vip\n");

        import.WaitForAssertion(() => Assert.Equal(2, import.FindAll("[data-testid=import-problems] li").Count));
        var problems = import.FindAll("[data-testid=import-problems] li").Select(item => item.TextContent.Trim()).ToList();
        Assert.StartsWith("Line 3:", problems[0]);
        Assert.StartsWith("Line 4:", problems[1]);
        Assert.Empty(_sent);
    }

    [Fact]
    public void Upload_NoPhoneColumn_SaysTheHeaderMustNameIt()
    {
        var import = RenderImport(new ApiOutcome<ImportClientsResponse>(new ImportClientsResponse { Created = 1 }, null));

        Upload(import, "number,tag\n79001234567,vip\n");

        import.WaitForAssertion(() => Assert.StartsWith("Line 1: The first line must be a header naming the column phone",
            import.Find("[data-testid=import-problems] li").TextContent.Trim()));
        Assert.Empty(_sent);
    }

    [Fact]
    public void Upload_Accepted_ShowsHowManyWereCreatedAndUpdated()
    {
        var imported = 0;
        var import = Render<ClientImport>(parameters => parameters
            .Add(p => p.Import, rows =>
            {
                _sent.Add(rows);
                return Task.FromResult(new ApiOutcome<ImportClientsResponse>(new ImportClientsResponse { Created = 2, Updated = 1 }, null));
            })
            .Add(p => p.Imported, () => imported++));

        Upload(import, "phone,operatorCode\n79001234567,901\n79161234567,\n79251234567,925\n");

        import.WaitForAssertion(() => Assert.Equal("clients.csv: 2 created, 1 updated.", import.Find("[data-testid=import-result]").TextContent.Trim()));
        Assert.Equal(["901", null, "925"], Assert.Single(_sent).Select(row => row.OperatorCode));
        Assert.Equal(1, imported);
    }

    private IRenderedComponent<ClientImport> RenderImport(ApiOutcome<ImportClientsResponse> answer) =>
        Render<ClientImport>(parameters => parameters.Add(p => p.Import, rows =>
        {
            _sent.Add(rows);
            return Task.FromResult(answer);
        }));

    private static void Upload(IRenderedComponent<ClientImport> import, string csv) =>
        import.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "clients.csv"));
}
