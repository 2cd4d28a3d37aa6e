using System.Text;
using System.Text.Encodings.Web;
using Tasks.Shared;

namespace TaskApi.Features.Reports;

/// <summary>The daily report as an email: a table per channel in the HTML part, the same lines in the text part.</summary>
public static class ReportEmail
{
    public static EmailContent Of(DailyReport report, ReportOptions options)
    {
        var subject = $"Daily report {report.Date}: {report.Mailings.Total} SMS mailings, {report.Campaigns.Total} email campaigns";
        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append($"<!DOCTYPE html><html><body style=\"font-family: sans-serif\"><h1>{E(subject)}</h1>")
            .Append($"<p>{E(report.Date)} in {E(report.TimeZone)} ({report.From:u} – {report.To:u}).</p>");
        text.AppendLine(subject).AppendLine($"{report.Date} in {report.TimeZone} ({report.From:u} - {report.To:u})").AppendLine();

        Section(html, text, "SMS mailings", report.Mailings.ByStatus, "Messages", report.Mailings.Messages,
            ["Id", "Text", "Status", "Sent", "Failed", "Expired", "Pending"],
            report.Mailings.Items.Select(m => new object[] { m.Id, m.Text, m.Status, m.Sent, m.Failed, m.Expired, m.Pending }));
        Section(html, text, "Email campaigns", report.Campaigns.ByStatus, "Emails", report.Campaigns.Emails,
            ["Id", "Name", "Status", "Sent", "Failed", "Pending"],
            report.Campaigns.Items.Select(c => new object[] { c.Id, c.Name, c.Status, c.Sent, c.Failed, c.Pending }));
        html.Append($"<p>Campaign emails first opened that day: {report.Campaigns.Opened}.</p></body></html>");
        text.AppendLine($"Campaign emails first opened that day: {report.Campaigns.Opened}.");
        return new EmailContent(new EmailPerson(options.From, "Tasks reports"), subject, html.ToString(), text.ToString());
    }

    private static void Section(
        StringBuilder html, StringBuilder text, string title, IReadOnlyDictionary<string, int> byStatus, string unitsTitle,
        IReadOnlyDictionary<string, int> units, string[] columns, IEnumerable<object[]> rows)
    {
        var statuses = string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Value}"));
        var finals = string.Join(", ", units.Select(s => $"{s.Key} {s.Value}"));
        html.Append($"<h2>{E(title)}</h2><p>By status: {E(statuses)}.<br>{E(unitsTitle)} that day: {E(finals)}.</p>")
            .Append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse: collapse\"><tr>")
            .AppendJoin("", columns.Select(c => $"<th>{E(c)}</th>")).Append("</tr>");
        text.AppendLine(title).AppendLine($"By status: {statuses}.").AppendLine($"{unitsTitle} that day: {finals}.");
        foreach (var row in rows)
        {
            html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td>{E(cell.ToString() ?? "")}</td>")).Append("</tr>");
            text.AppendLine("  " + string.Join(" | ", row));
        }
        html.Append("</table>");
        text.AppendLine();
    }

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
