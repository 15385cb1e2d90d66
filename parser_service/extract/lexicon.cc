#include "parser_service/extract/lexicon.h"

#include <algorithm>

namespace govreport::parser {

Lexicon::Lexicon(std::initializer_list<std::u32string_view> words)
    : words_(words), by_last_(words) {
  words_.erase(std::remove_if(words_.begin(), words_.end(),
                              [](std::u32string_view w) { return w.empty(); }),
               words_.end());
  by_last_ = words_;
  std::sort(words_.begin(), words_.end(),
            [](std::u32string_view a, std::u32string_view b) {
              if (a.front() != b.front()) return a.front() < b.front();
              return a.size() > b.size();
            });
  std::sort(by_last_.begin(), by_last_.end(),
            [](std::u32string_view a, std::u32string_view b) {
              if (a.back() != b.back()) return a.back() < b.back();
              return a.size() > b.size();
            });
}

size_t Lexicon::MatchAt(std::u32string_view text, size_t pos) const {
  if (pos >= text.size()) return 0;
  const char32_t first = text[pos];
  auto it = std::lower_bound(
      words_.begin(), words_.end(), first,
      [](std::u32string_view w, char32_t c) { return w.front() < c; });
  for (; it != words_.end() && it->front() == first; ++it) {
    if (text.size() - pos >= it->size() &&
        text.compare(pos, it->size(), *it) == 0) {
      return it->size();
    }
  }
  return 0;
}

size_t Lexicon::MatchEndingAt(std::u32string_view text, size_t end) const {
  if (end == 0 || end > text.size()) return 0;
  const char32_t last = text[end - 1];
  auto it = std::lower_bound(
      by_last_.begin(), by_last_.end(), last,
      [](std::u32string_view w, char32_t c) { return w.back() < c; });
  for (; it != by_last_.end() && it->back() == last; ++it) {
    if (end >= it->size() &&
        text.compare(end - it->size(), it->size(), *it) == 0) {
      return it->size();
    }
  }
  return 0;
}

bool Lexicon::Contains(std::u32string_view word) const {
  return !word.empty() && MatchAt(word, 0) == word.size() &&
         std::find(words_.begin(), words_.end(), word) != words_.end();
}

const Lexicon& ActionVerbs() {
  static const Lexicon* lexicon = new Lexicon({
      // Building and upgrading.
      U"新建",
      U"改建",
      U"扩建",
      U"改扩建",
      U"新改建",
      U"新建改造",
      U"新改造",
      U"建成",
      U"建设",
      U"续建",
      U"新开工",
      U"开工",
      U"竣工",
      U"完工",
      U"改造",
      U"提升改造",
      U"改造提升",
      U"提质改造",
      U"提质升级",
      U"升级改造",
      U"提升",
      U"打造",
      U"创建",
      U"争创",
      U"创成",
      U"形成",
      U"培育",
      U"建立",
      U"设立",
      U"组建",
      U"布局",
      U"铺设",
      U"安装",
      U"配备",
      U"配置",
      U"硬化",
      U"修复",
      U"治理",
      U"整治",
      U"造林",
      U"种植",
      U"新种植",
      U"发展",
      U"新发展",
      U"栽植",
      U"植树",
      U"建",
      U"修建",
      U"新修",
      // Adding, attracting, carrying out.
      U"新增",
      U"增加",
      U"增设",
      U"引进",
      U"新引进",
      U"招引",
      U"引育",
      U"引导",
      U"签约",
      U"新签约",
      U"落地",
      U"实施",
      U"谋划实施",
      U"谋划",
      U"开展",
      U"举办",
      U"承办",
      U"组织",
      U"完成",
      U"实现",
      U"达到",
      U"达",
      U"接待",
      U"吸引",
      U"吸纳",
      U"解决",
      U"带动",
      U"安置",
      U"转移",
      U"帮扶",
      U"救助",
      U"资助",
      U"筛查",
      U"培训",
      U"认定",
      U"评定",
      U"获批",
      U"入选",
      U"撤并",
      U"关停",
      U"淘汰",
      U"拆除",
      U"搬迁",
      U"腾退",
      U"清理",
      U"化解",
      U"处置",
      U"盘活",
      U"收储",
      U"出让",
      U"供应",
      U"办理",
      U"受理",
      U"调解",
      U"排查",
      U"查处",
      U"发放",
      U"拨付",
      U"投入",
      U"争取",
      U"筹措",
      U"整合",
      U"落实",
      U"兑现",
      U"减免",
      U"减税降费",
      U"惠及",
      U"覆盖",
      U"提供",
      U"开通",
      U"开设",
      U"新开",
      U"投用",
      U"建成投用",
      U"累计建成",
      U"累计完成",
      U"累计实现",
      U"融资",
      U"放贷",
      U"新登记",
      U"注册",
      U"上市",
      U"挂牌",
      U"入库",
      U"新入库",
      U"纳入",
      U"改厕",
      U"改建提升",
      U"保护",
      U"提高",
      U"降低",
      U"减少",
      U"稳定",
      U"保持",
  });
  return *lexicon;
}

const Lexicon& LeadingModifiers() {
  static const Lexicon* lexicon = new Lexicon({
      // Time, scope and modality: never part of a subject.
      U"全年",
      U"今年",
      U"年内",
      U"年底前",
      U"年底",
      U"全县",
      U"全区",
      U"全市",
      U"全镇",
      U"全乡",
      U"全州",
      U"全旗",
      U"全省",
      U"累计",
      U"共",
      U"共计",
      U"合计",
      U"总计",
      U"力争",
      U"确保",
      U"争取",
      U"努力",
      U"计划",
      U"预计",
      U"拟",
      U"再",
      U"又",
      U"还",
      U"继续",
      U"持续",
      U"进一步",
      U"全力",
      U"加快",
      U"大力",
      U"积极",
      U"其中",
      U"分别",
      U"均",
      U"各",
      U"全部",
      U"已",
      U"已经",
      U"要",
      U"成功",
      U"顺利",
      U"扎实",
      U"着力",
      U"集中",
      U"统筹",
      U"深入",
      U"有序",
      U"全面",
      U"稳步",
      U"当年",
      U"同期",
      U"目标",
      U"预期",
      U"实际",
      U"各类",
      U"各种",
      U"各级",
      U"各项",
      // Who did or said it: 我们新建…, 报告提出今年新开工…
      U"我们",
      U"我县",
      U"我市",
      U"我区",
      U"报告提出",
      U"报告又提出",
      U"报告还提出",
      U"报告说",
      U"报告里说",
      U"报告中说",
      U"报告指出",
      U"报告显示",
      U"报告明确",
      U"会议提出",
      U"会议指出",
  });
  return *lexicon;
}

const Lexicon& PlaceModifiers() {
  static const Lexicon* lexicon = new Lexicon({
      // Place and manner: stripped only before a verb (城区新增 /
      // 城区绿化面积).
      U"城区",
      U"县城",
      U"农村",
      U"城乡",
      U"乡镇",
      U"全村",
      U"各乡镇",
      U"高标准",
      U"高质量",
      U"高水平",
      U"对",
      U"为",
      U"向",
      U"在",
      U"新",
  });
  return *lexicon;
}

const Lexicon& InnerVerbs() {
  static const Lexicon* lexicon = new Lexicon({
      U"达到",   U"达",     U"为",       U"是",     U"均为",   U"均达到",
      U"均达",   U"分别为", U"分别达到", U"分别",   U"稳定在", U"保持在",
      U"控制在", U"提高至", U"提高到",   U"提升至", U"提升到", U"增加至",
      U"增加到", U"增至",   U"降至",     U"降低至", U"降低到", U"下降至",
      U"下降到", U"减少至", U"扩大至",   U"扩大到", U"突破",   U"超过",
      U"超",     U"实现",   U"完成",     U"累计",   U"共",     U"共计",
      U"合计",   U"总计",   U"约",       U"近",     U"各",     U"均",
      U"全部",   U"已",     U"已达",     U"预计",   U"力争",   U"确保",
      U"有",     U"共有",   U"拥有",     U"新增",   U"增加",   U"达成",
  });
  return *lexicon;
}

const Lexicon& GrowthWords() {
  static const Lexicon* lexicon = new Lexicon({
      U"增长",
      U"同比增长",
      U"比上年增长",
      U"比去年增长",
      U"年均增长",
      U"比上年提高",
      U"较上年提高",
      U"比去年提高",
      U"同比提高",
      U"提高",
      U"比上年下降",
      U"较上年下降",
      U"比上年降低",
      U"同比降低",
      U"提升",
      U"增速",
      U"增幅",
      U"增",
      U"同比增",
      U"下降",
      U"同比下降",
      U"比上年下降",
      U"减少",
      U"同比减少",
      U"降低",
      U"回落",
      U"上涨",
      U"同比上涨",
      U"涨幅",
      // Sidebars and tables: 地区生产总值 2563.8亿元 ↑5.2%.
      U"↑",
      U"↓",
      U"+",
  });
  return *lexicon;
}

bool IsDecreaseWord(std::u32string_view word) {
  return word.find(U"下降") != std::u32string_view::npos ||
         word.find(U"减少") != std::u32string_view::npos ||
         word.find(U"降低") != std::u32string_view::npos ||
         word.find(U"回落") != std::u32string_view::npos ||
         word.find(U"↓") != std::u32string_view::npos;
}

const Lexicon& ChangeVerbs() {
  static const Lexicon* lexicon = new Lexicon({
      U"提高至", U"提高到", U"提升至", U"提升到", U"增加至", U"增加到",
      U"增至",   U"降至",   U"降低至", U"降低到", U"下降至", U"下降到",
      U"减少至", U"减少到", U"调整至", U"调整为", U"调整到", U"扩大至",
      U"扩大到", U"上调至", U"上调到", U"提标至", U"增长至", U"增长到",
  });
  return *lexicon;
}

const Lexicon& TrailingPredicates() {
  static const Lexicon* lexicon = new Lexicon({
      U"完成改造", U"完成提升", U"完成建设", U"顺利通车", U"建成通车",
      U"开放投用", U"建成投用", U"投入使用", U"正式投用", U"通车",
      U"投用",     U"撤并",     U"改扩建",   U"改造",     U"建设",
      U"提升",     U"进行",     U"完成",     U"顺利",     U"全部",
      U"正式",     U"实现",     U"开工",     U"竣工",     U"落地",
      U"通过验收", U"验收",     U"挂牌",     U"获批",     U"创建",
      U"开业",     U"运营",     U"建成",     U"开放",     U"上线",
      U"入驻",     U"签约",
  });
  return *lexicon;
}

const Lexicon& CountingVerbs() {
  static const Lexicon* lexicon = new Lexicon({
      U"新建", U"建成",   U"新改建", U"改扩建", U"打造", U"创建",
      U"创成", U"培育",   U"新培育", U"新增",   U"引进", U"引育",
      U"招引", U"获批",   U"认定",   U"新认定", U"落地", U"签约",
      U"开工", U"新开工", U"投产",   U"建设",   U"改造", U"创办",
      U"开设", U"新设",   U"组建",   U"成立",   U"获评",
  });
  return *lexicon;
}

const Lexicon& QuantityFollowers() {
  static const Lexicon* lexicon = new Lexicon({
      U"增长", U"同比",   U"比上年", U"比去年", U"较上年", U"下降", U"提高",
      U"增加", U"减少",   U"降低",   U"提升",   U"占",     U"其中", U"和",
      U"及",   U"与",     U"或",     U"用于",   U"以上",   U"以下", U"以内",
      U"左右", U"的增长", U"位居",   U"居",     U"排名",   U"总量", U"规模",
      U"年均", U"分别",   U"达到",   U"达",     U"实现",   U"完成", U"建设",
      U"投资", U"带动",   U"惠及",   U"覆盖",   U"新增",   U"增速", U"增幅",
      U"为",   U"↑",      U"↓",      U"+",      U"|",
  });
  return *lexicon;
}

}  // namespace govreport::parser
