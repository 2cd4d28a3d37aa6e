using MudBlazor;

namespace TasksConsole.Components.Layout;

/// <summary>
/// MudBlazor's light palette with the colours it shows text in, or white text on, darkened to a contrast of at least
/// 4.5:1 against white (WCAG 2 AA for text, which axe checks): its defaults (success #00C853 at 2.2:1, error #F44336 at
/// 3.7:1, warning #FF9800 at 2.2:1, info #2196F3 at 3.1:1) fail on status chips, outlined buttons and alerts.
/// </summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Readable = new()
    {
        PaletteLight = new PaletteLight
        {
            Secondary = "#C2185B",
            Tertiary = "#00796B",
            Info = "#1565C0",
            Success = "#2E7D32",
            Warning = "#A15C00",
            Error = "#C62828",
        },
    };
}
