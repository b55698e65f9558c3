global using System.Net;
global using System.Net.WebSockets;
global using System.Text.Json;
global using Switchboard.FunctionalTests.Infrastructure;
global using Microsoft.Extensions.DependencyInjection;
