using Microsoft.Playwright;

namespace Hearth.Server.Tests.Playground;

/// <summary>
/// The playground in headless Chromium (Debian's <c>chromium</c> package, driven by Playwright; never a browser
/// download): pick the model, send a message, watch the reply stream in with its tokens/s; an unknown model shows the
/// server's error. Screenshots land in <c>screenshots/</c> beside the test assembly.
/// </summary>
public sealed class PlaygroundBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task AMessageGetsAStreamedReplyWithItsSpeed()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());

        await Assertions.Expect(page.Locator("#model option[value='tiny:latest']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#model", "tiny:latest");
        await page.FillAsync("#max-tokens", "48");
        await page.FillAsync("#seed", "7");
        // Count the distinct texts the reply passes through: more than one means it streamed in.
        await page.EvaluateAsync("""
            () => {
              window.replyTexts = new Set();
              new MutationObserver(() => {
                const reply = document.querySelector('.message.assistant .content');
                if (reply && reply.textContent) window.replyTexts.add(reply.textContent);
              }).observe(document.getElementById('log'), { subtree: true, childList: true, characterData: true });
            }
            """);
        await page.FillAsync("#message", "Hello there!");
        await page.ClickAsync("#send");

        var stats = page.Locator(".message.assistant .stats");
        await Assertions.Expect(stats).ToContainTextAsync("tok/s", new() { Timeout = 60_000 });
        await Assertions.Expect(stats).ToContainTextAsync("TTFT");
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator(".message.assistant .content").TextContentAsync()));
        Assert.True(await page.EvaluateAsync<int>("() => window.replyTexts.size") > 1, "the reply should appear piece by piece");
        Assert.Equal(0, await page.Locator(".message.error").CountAsync());
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("playground-chat.png"), FullPage = true });
    }

    [Fact]
    public async Task AnUnknownModelShowsTheServersError()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#model option[value='tiny:latest']")).ToHaveCountAsync(1);

        // A model that was listed once but is gone now (removed by another client meanwhile).
        await page.EvaluateAsync("() => { const s = document.getElementById('model'); s.add(new Option('vanished', 'vanished')); s.value = 'vanished'; }");
        await page.FillAsync("#message", "Anyone there?");
        await page.ClickAsync("#send");

        var error = page.Locator(".message.error");
        await Assertions.Expect(error).ToContainTextAsync("model 'vanished' not found", new() { Timeout = 30_000 });
        await Assertions.Expect(error).ToContainTextAsync("404");
        Assert.True(await page.Locator("#send").IsEnabledAsync(), "the page is ready for the next message");
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("playground-error.png"), FullPage = true });
    }

    [Fact]
    public async Task OnAServerWithKeysThePageSaysSoAndWorksOnceAKeyIsEntered()
    {
        await using var server = await ServerFixture.StartAsync(o => o with { ApiKeys = new HashSet<string> { "sekret" } });
        await using var browser = await HeadlessChromium.LaunchAsync();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("missing API key");

        await page.FillAsync("#api-key", "sekret");
        await page.DispatchEventAsync("#api-key", "change");
        await Assertions.Expect(page.Locator("#model option[value='tiny:latest']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#banner")).ToBeHiddenAsync();
        Assert.Equal("sekret", await page.EvaluateAsync<string>("() => localStorage.getItem('hearth.apiKey')"));
    }

    private static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    /// <summary>Playwright driving the system's Chromium with a fresh profile in a temp folder, removed afterwards.</summary>
    private sealed class HeadlessChromium : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly string _profile;

        private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile)
        {
            _playwright = playwright;
            Context = context;
            _profile = profile;
        }

        public IBrowserContext Context { get; }

        public static async Task<HeadlessChromium> LaunchAsync()
        {
            if (!File.Exists(ChromiumPath))
                Assert.Fail($"Chromium is not installed at {ChromiumPath}: run ./test.sh, which installs it (apt-get install chromium)");
            // Playwright must never download a browser of its own: the system's Chromium is the one used.
            Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            var profile = Directory.CreateTempSubdirectory("hearth-chromium-").FullName;
            try
            {
                var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync"],
                    ViewportSize = new ViewportSize { Width = 1200, Height = 800 },
                });
                return new HeadlessChromium(playwright, context, profile);
            }
            catch
            {
                playwright.Dispose();
                Directory.Delete(profile, recursive: true);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Context.CloseAsync();
            _playwright.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
        }
    }
}
