-- wrk script for bench/serve_load.sh: the searches the page makes (facet counts included),
-- in turn: one and two words, a phrase, synonyms, filters by province, category and
-- years, date order, paging, browsing without words.
local paths = {
  "/api/search?q=%E8%AF%88%E9%AA%97&facets=true",  -- q=诈骗&facets=true
  "/api/search?q=%E5%85%BB%E8%80%81%E8%AF%88%E9%AA%97&facets=true",  -- q=养老诈骗&facets=true
  "/api/search?q=%E7%8A%AF%E7%BD%AA%E5%AB%8C%E7%96%91%E4%BA%BA%20%E6%8A%93%E8%8E%B7&facets=true",  -- q=犯罪嫌疑人 抓获&facets=true
  "/api/search?q=%E7%94%B5%E4%BF%A1%E7%BD%91%E7%BB%9C%E8%AF%88%E9%AA%97&province=%E5%B9%BF%E4%B8%9C&facets=true",  -- q=电信网络诈骗&province=广东&facets=true
  "/api/search?q=%E5%85%AC%E5%AE%89%E6%9C%BA%E5%85%B3&from=2020&to=2022&facets=true",  -- q=公安机关&from=2020&to=2022&facets=true
  "/api/search?q=%22%E4%B8%93%E9%A1%B9%E8%A1%8C%E5%8A%A8%22&facets=true",  -- q="专项行动"&facets=true
  "/api/search?q=%E5%96%9D%E9%85%92%E5%BC%80%E8%BD%A6&facets=true",  -- q=喝酒开车&facets=true
  "/api/search?q=%E7%9B%97%E7%AA%83%20%E7%94%B5%E5%8A%A8%E8%BD%A6&sort=date&facets=true",  -- q=盗窃 电动车&sort=date&facets=true
  "/api/search?q=%E6%AF%92%E5%93%81&category=%2F%E6%AF%92%E5%93%81&offset=10&facets=true",  -- q=毒品&category=/毒品&offset=10&facets=true
  "/api/search?province=%E5%B9%BF%E8%A5%BF&facets=true",  -- province=广西&facets=true
  "/api/search?q=%E5%B8%82%E5%85%AC%E5%AE%89%E5%B1%80&limit=20",  -- q=市公安局&limit=20
  "/api/search?q=%E6%B6%89%E9%BB%91%E6%B6%89%E6%81%B6%20%E5%9B%A2%E4%BC%99&facets=true",  -- q=涉黑涉恶 团伙&facets=true
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
